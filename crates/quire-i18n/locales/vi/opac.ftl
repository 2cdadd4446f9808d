# Bạn đọc tự phục vụ trong mục lục công cộng (/my), hộp thư thông báo, và e-mail thông báo.

nav-my-login = Đăng nhập tài khoản của tôi
nav-my-account = Tài khoản của tôi ({ $name })
nav-notices = Thông báo
my-logout = Đăng xuất

my-login-title = Đăng nhập tài khoản thư viện
my-field-card = Số thẻ thư viện
my-field-card-hint = Dãy số dưới mã vạch trên thẻ của bạn.
my-field-pin = Mã PIN
my-login-submit = Đăng nhập
my-login-help = Quên mã PIN? Hãy hỏi tại quầy của bất kỳ chi nhánh nào; nhớ mang theo thẻ thư viện.
my-login-card-required = Hãy nhập số thẻ thư viện.
my-login-pin-required = Hãy nhập mã PIN.
my-login-failed = Số thẻ hoặc mã PIN không đúng.

my-nav-label = Tài khoản của tôi
my-nav-loans = Tài liệu đang mượn
my-nav-fines = Tiền phạt
my-nav-settings = Mã PIN và ngôn ngữ

my-loans-title = Tài liệu đang mượn
my-loans-current = Đang mượn
my-renewed = Đã gia hạn. Hạn trả mới hiển thị bên dưới.
my-balance = Số dư: { $amount }
my-balance-details = Xem tiền phạt và các khoản đã trả
my-col-title = Nhan đề
my-col-barcode = Tài liệu
my-col-due = Hạn trả
my-col-renewals-left = Số lần gia hạn còn lại
my-col-actions = Thao tác
my-overdue = Quá hạn
my-renew = Gia hạn
my-renew-label = Gia hạn “{ $title }”
my-no-loans = Bạn không mượn tài liệu nào.

my-fines-title = Tiền phạt và các khoản đã trả
my-col-date = Ngày
my-col-kind = Loại
my-col-note = Ghi chú
my-col-amount = Số tiền
my-fee-overdue = Phạt quá hạn
my-no-fines = Không có tiền phạt hay khoản thanh toán nào.

my-settings-title = Mã PIN và ngôn ngữ
my-change-pin = Đổi mã PIN
my-pin-changed = Đã đổi mã PIN của bạn.
my-pin-hint = Từ 4 đến 8 chữ số.
field-current-pin = Mã PIN hiện tại
field-new-pin = Mã PIN mới
field-confirm-pin = Nhập lại mã PIN mới
reason-wrong-pin = không đúng
reason-pins-differ = không khớp với mã PIN mới
my-language = Ngôn ngữ ưa thích
my-language-label = Ngôn ngữ cho mục lục và thông báo
my-language-hint = Thông báo về hạn trả và tài liệu đặt trước được gửi bằng ngôn ngữ này.
field-language = Ngôn ngữ
reason-unknown-language = không nằm trong các ngôn ngữ được cung cấp
my-language-save = Lưu ngôn ngữ
my-language-saved = Đã lưu ngôn ngữ ưa thích của bạn.

notices-title = Thông báo
notices-lead = Thông báo gửi bạn đọc về sắp đến hạn, quá hạn và tài liệu đặt trước đã sẵn sàng, mới nhất trước.
notices-filter-status = Trạng thái
notices-status-all = Tất cả
notices-filter = Hiển thị
notices-none = Không có thông báo.
notices-col-created = Tạo lúc
notices-col-kind = Loại
notices-col-patron = Bạn đọc
notices-col-subject = Tiêu đề
notices-col-status = Trạng thái
notices-col-attempts = Số lần thử
notices-col-error = Lỗi gần nhất
notices-col-actions = Thao tác
notices-next-attempt = lần thử tiếp theo { $at }
notices-resend = Gửi lại
notices-resend-label = Gửi lại thông báo { $id }
notice-kind-due-soon = Sắp đến hạn
notice-kind-overdue = Quá hạn
notice-kind-hold-ready = Tài liệu đặt trước đã sẵn sàng
notice-status-pending = Đang chờ gửi
notice-status-sent = Đã gửi
notice-status-failed = Gửi thất bại
notice-status-skipped = Không gửi
notice-skip-no-email = không có địa chỉ e-mail

audit-action-change-pin = đổi mã PIN
audit-action-resend = gửi lại
entity-notice = thông báo

mail-greeting = Kính gửi { $name },
mail-footer = Thư viện của bạn. Bạn có thể xem và gia hạn tài liệu đang mượn trong mục lục, tại “Tài khoản của tôi”.
mail-due-soon-subject = Sắp đến hạn trả: { $title }
mail-due-soon-body = “{ $title }” (tài liệu { $barcode }) đến hạn trả vào { $due }. Vui lòng trả hoặc gia hạn trước thời điểm đó.
mail-overdue-subject = Quá hạn trả: { $title }
mail-overdue-body = “{ $title }” (tài liệu { $barcode }) đã đến hạn trả vào { $due } và nay đã quá hạn. Vui lòng trả sớm nhất có thể; có thể bị tính phí phạt.
mail-hold-ready-subject = Sẵn sàng để nhận: { $title }
mail-hold-ready-body = “{ $title }” đang chờ bạn tại { $branch }.
mail-hold-ready-body-until = “{ $title }” đang chờ bạn tại { $branch } đến { $until }.
