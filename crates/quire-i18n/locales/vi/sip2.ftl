# SIP2: máy tự mượn trả và máy phân loại sách (thông báo trên màn hình) và tài khoản của chúng.

sip2-session-ended = Cảm ơn bạn. Tạm biệt.
sip2-not-supported = Máy này không làm được việc đó. Vui lòng gặp nhân viên.
sip2-hold-placed = Đã đặt giữ tài liệu.
sip2-hold-cancelled = Đã hủy đặt giữ.
sip2-hold-changed = Đã thay đổi yêu cầu đặt giữ.
sip2-wrong-pin = Sai mã PIN. Vui lòng thử lại.
sip2-checkout-cancelled = Đã hủy lượt mượn.
sip2-due = Hạn trả: { $due }.
sip2-not-on-loan = Tài liệu này không được cho mượn.
sip2-send-to = Chuyển đến { $branch }.
sip2-hold-shelf = Đặt lên kệ tài liệu đặt giữ.
sip2-not-your-loan = Bạn không mượn tài liệu này.
sip2-bad-amount = Số tiền hoặc loại tiền không hợp lệ.
sip2-payment-received = Đã nhận thanh toán: { $amount }. Cảm ơn bạn.
sip2-patron-blocked = Thẻ đã bị khóa. Vui lòng gặp nhân viên.
sip2-patron-enabled = Thẻ đã được mở lại.
sip2-patron-nothing-to-enable = Thẻ này không bị máy khóa.
sip2-hold-title-needs-number = Để đặt giữ theo nhan đề, hãy gửi số biểu ghi làm nhan đề. Vui lòng gặp nhân viên.
sip2-hold-needs-item = Hãy cho biết tài liệu hoặc nhan đề cần đặt giữ.

field-login = Tên đăng nhập
field-institution = Cơ quan
field-route = Hướng chuyển
field-item-properties = Thuộc tính tài liệu
field-bin = Ngăn phân loại

audit-action-delete = đã xóa
entity-sip2_account = Tài khoản SIP2
entity-sort_bin = Ngăn phân loại

nav-sip2 = Thiết bị SIP2
sip2-title = Thiết bị SIP2
sip2-lead = Máy tự mượn trả, máy phân loại sách và các thiết bị khác đăng nhập vào máy chủ SIP2 của Quire bằng các tài khoản này. Thiết bị chỉ thao tác qua lưu thông: mọi quy định và lệnh chặn đều được áp dụng.
sip2-caption = Tài khoản SIP2
sip2-checksum = Mã kiểm tra
sip2-checksum-required = bắt buộc
sip2-checksum-optional = kiểm tra khi có gửi
sip2-actions = Thao tác
sip2-new-password = Mật khẩu mới
sip2-set-password = Đặt mật khẩu
sip2-delete = Xóa
sip2-delete-confirm = Xóa tài khoản SIP2 này? Thiết bị sẽ không đăng nhập được nữa.
sip2-none = Chưa có tài khoản SIP2 nào.
sip2-new = Thêm tài khoản thiết bị
sip2-institution-hint = Mã cơ quan (AO) mà thiết bị gửi, ví dụ QUIRE.
sip2-location-hint = Không bắt buộc: nơi đặt thiết bị, ví dụ MAIN-SC1.
sip2-checksum-required-label = Yêu cầu mã kiểm tra (AZ) trong mọi thông điệp
sip2-extensions-label = Gửi các trường mở rộng của 3M (bộ sưu tập, ký hiệu xếp giá, nơi đến, loại cảnh báo)
sip2-cv-label = Gửi loại cảnh báo 00 khi trả bình thường (cho máy phân loại luôn cần trường này)
sip2-hide-fields = Các trường không bao giờ gửi
sip2-hide-fields-hint = Mã trường cách nhau bằng dấu phẩy, ví dụ BE,BF để ẩn e-mail và điện thoại.
sip2-create = Thêm tài khoản
sip2-login = Đăng nhập (93)
sip2-login-needed = bắt buộc
sip2-login-free = không bắt buộc
sip2-login-optional-label = Không cần đăng nhập: các kết nối của cổng nghe được khởi động với --sip2-open-account (hoặc --sip2-tls-open-account) ghi tên tài khoản này sẽ hoạt động dưới tài khoản này mà không cần đăng nhập
