# same-as-english: field-error
# Quire — thông điệp giao diện tiếng Việt.
# Mọi khóa phải có trong tất cả các ngôn ngữ (có test kiểm tra); giữ ba tệp theo cùng một thứ tự.

## Bố cục
skip-to-content = Chuyển đến nội dung chính
nav-label = Menu chính
nav-catalog = Mục lục
nav-dashboard = Tổng quan
nav-branches = Chi nhánh
nav-staff = Nhân viên
nav-audit = Nhật ký thay đổi
nav-api-tokens = Token API
nav-account = Tài khoản của tôi ({ $name })
nav-staff-login = Đăng nhập nhân viên
language = Ngôn ngữ
language-switch = Đổi ngôn ngữ
logout = Đăng xuất
footer-tagline = Quire — hệ thống thư viện chỉ cần một máy chủ nhỏ.
footer-api = Tài liệu API

## Ngày và giờ
month-short-1 = thg 1
month-short-2 = thg 2
month-short-3 = thg 3
month-short-4 = thg 4
month-short-5 = thg 5
month-short-6 = thg 6
month-short-7 = thg 7
month-short-8 = thg 8
month-short-9 = thg 9
month-short-10 = thg 10
month-short-11 = thg 11
month-short-12 = thg 12
time-am = SA
time-pm = CH
weekday-0 = Thứ Hai
weekday-1 = Thứ Ba
weekday-2 = Thứ Tư
weekday-3 = Thứ Năm
weekday-4 = Thứ Sáu
weekday-5 = Thứ Bảy
weekday-6 = Chủ Nhật

## Trang công khai
home-title = Chào mừng
home-welcome = Chào mừng bạn đến với thư viện
home-lead = Tra cứu sách và tài liệu trong mục lục, xem chi nhánh nào còn bản trên giá, và xem giờ mở cửa ở bên dưới.
home-branches = Các chi nhánh
home-no-branches = Chưa có chi nhánh nào được thiết lập.
home-opening-hours = Giờ mở cửa
hours-closed = Đóng cửa

## Đăng nhập
login-title = Đăng nhập nhân viên
login-submit = Đăng nhập
login-help = Quên mật khẩu? Hãy nhờ quản trị viên thư viện đặt lại.
login-username-required = Hãy nhập tên đăng nhập.
login-password-required = Hãy nhập mật khẩu.

## Tổng quan
dashboard-title = Tổng quan
dashboard-greeting = Xin chào, { $name }
dashboard-branches = { $count ->
   *[other] chi nhánh
}
dashboard-locations = { $count ->
   *[other] vị trí xếp giá
}
dashboard-staff = { $count ->
   *[other] tài khoản nhân viên
}
dashboard-sessions = { $count ->
   *[other] phiên đăng nhập
}
dashboard-records = biểu ghi thư mục
dashboard-items = bản tài liệu
dashboard-patrons = bạn đọc
dashboard-quarantined = biểu ghi đang chờ xử lý (cách ly)
dashboard-next = Lối tắt
dashboard-link-account = Đổi mật khẩu
dashboard-link-api = Xem tài liệu API

## Tài khoản
account-title = Tài khoản của tôi
account-signed-in-as = Bạn đang đăng nhập với tên { $username }.
account-change-password = Đổi mật khẩu
account-language-hint = Khi bạn đổi ngôn ngữ ở đầu trang, lựa chọn đó sẽ được lưu vào tài khoản của bạn.
password-hint = Ít nhất 10 ký tự. Ghép vài từ liền nhau sẽ được một mật khẩu mạnh và dễ nhớ.

## Tài khoản nhân viên
users-title = Tài khoản nhân viên
users-caption = { $count ->
   *[other] { $count } tài khoản nhân viên
}
users-status = Trạng thái
users-active = Đang hoạt động
users-disabled = Đã vô hiệu hóa
users-new = Thêm tài khoản nhân viên
users-create = Tạo tài khoản
users-created = Tạo lúc { $when }
users-roles-legend = Quyền hạn của người này
users-access = Quyền truy cập
users-disable = Vô hiệu hóa tài khoản này
users-enable = Kích hoạt lại tài khoản này
users-reset-password = Đặt mật khẩu mới
username-hint = 3 đến 64 ký tự: chữ thường, chữ số, dấu chấm, dấu gạch ngang hoặc dấu gạch dưới.
role-admin = Quản trị viên
role-cataloger = Cán bộ biên mục
role-circulation = Cán bộ lưu thông
role-volunteer = Tình nguyện viên

## Chi nhánh và vị trí
branches-title = Chi nhánh
branches-caption = { $count ->
   *[other] { $count } đơn vị thư viện
}
branches-new = Thêm chi nhánh
branches-create = Tạo chi nhánh
branches-edit = Sửa thông tin chi nhánh
branches-no-parent = (không có)
kind-branch = Chi nhánh
kind-system = Hệ thống thư viện
kind-consortium = Liên hiệp thư viện
code-hint = 2 đến 16 ký tự: chữ cái, chữ số, dấu gạch ngang hoặc dấu gạch dưới. Mã được in trên phiếu và gửi tới máy tự mượn trả.
timezone-hint = Ví dụ: Asia/Ho_Chi_Minh hoặc Asia/Manila.
hours-hint = Để trống cả giờ mở và giờ đóng vào những ngày chi nhánh nghỉ.
hours-day = Thứ
hours-save = Lưu giờ mở cửa
locations-title = Vị trí xếp giá
locations-none = Chưa có vị trí xếp giá nào.
locations-new = Thêm vị trí xếp giá
locations-options = Quy định cho tài liệu xếp tại đây
locations-create = Thêm vị trí
yes = Có
no = Không

## Nhật ký thay đổi
audit-title = Nhật ký thay đổi
audit-caption = Mọi thay đổi, mới nhất ở trên
audit-entity = Xem thay đổi của
audit-all = Tất cả
audit-when = Thời gian
audit-who = Người thực hiện
audit-what = Thao tác
audit-before = Trước
audit-after = Sau
audit-empty = Chưa có gì được ghi lại.
audit-older = Các mục cũ hơn
audit-action-create = đã tạo
audit-action-update = đã sửa
audit-action-login = đã đăng nhập
audit-action-logout = đã đăng xuất
audit-action-enable = đã kích hoạt
audit-action-disable = đã vô hiệu hóa
audit-action-set-roles = đã đổi vai trò
audit-action-reset-password = đã đặt lại mật khẩu
audit-action-change-password = đã đổi mật khẩu của mình
audit-action-set-locale = đã chọn ngôn ngữ
audit-action-set-hours = đã đổi giờ mở cửa
audit-action-revoke = đã thu hồi
entity-staff_user = Tài khoản nhân viên
entity-branch = Chi nhánh
entity-location = Vị trí xếp giá
entity-api_token = Token API

## Token API
tokens-title = Token API
tokens-lead = Token cho phép các tập lệnh và thiết bị dùng JSON API dưới danh nghĩa một tài khoản nhân viên. Hãy giữ token cẩn thận như mật khẩu.
tokens-copy-now = Hãy sao chép token này ngay. Token sẽ không được hiển thị lại.
tokens-caption = Danh sách token
tokens-prefix = Bắt đầu bằng
tokens-created = Ngày tạo
tokens-last-used = Lần dùng gần nhất
tokens-revoked = Đã thu hồi
tokens-revoke = Thu hồi
tokens-revoke-confirm = Thu hồi token này? Các tập lệnh đang dùng token sẽ ngừng hoạt động.
tokens-none = Chưa có token nào.
tokens-new = Tạo token
tokens-for-user = Dùng với tư cách
tokens-name-hint = Token dùng cho việc gì, ví dụ "Máy tự mượn trả số 2".
tokens-create = Tạo token

## Trang tài liệu API
api-title = API của Quire
api-lead = JSON API cung cấp cho các tập lệnh và thiết bị những thao tác giống như các trang dành cho nhân viên, với cùng quyền hạn.
api-download = Tải xuống tài liệu OpenAPI
api-auth = Xác thực
api-auth-help = Gửi token API trong header Authorization ("Bearer" rồi đến token). Phiên trình duyệt cũng dùng được, nhưng khi thay đổi dữ liệu phải gửi kèm header X-CSRF-Token.
api-operations = Các thao tác
api-parameters = Tham số
api-required = bắt buộc
api-request-body = Nội dung yêu cầu
api-responses = Phản hồi
api-schemas = Cấu trúc dữ liệu

## Thông báo
notice-saved = Đã lưu các thay đổi của bạn.
notice-created = Đã tạo.
notice-password-changed = Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.
notice-revoked = Đã thu hồi token.

## Thao tác
action-save = Lưu
action-filter = Lọc

## Biểu mẫu và lỗi
form-has-errors = Vui lòng sửa các lỗi sau:
field-error = { $field }: { $reason }
field-username = Tên đăng nhập
field-password = Mật khẩu
field-current-password = Mật khẩu hiện tại
field-new-password = Mật khẩu mới
field-confirm-password = Nhập lại mật khẩu mới
field-display-name = Họ và tên
field-email = Email
field-roles = Vai trò
field-code = Mã
field-name = Tên
field-kind = Loại
field-parent = Thuộc
field-timezone = Múi giờ
field-address = Địa chỉ
field-phone = Điện thoại
field-opens = Giờ mở cửa
field-closes = Giờ đóng cửa
field-weekday = Thứ
field-circulates = Tài liệu được cho mượn
field-holdable = Tài liệu được đặt mượn
field-public = Hiển thị trên mục lục công cộng
field-loc-code = Mã vị trí
field-loc-name = Tên vị trí
field-locale = Ngôn ngữ
field-active = Trạng thái
field-body = Nội dung yêu cầu
field-note = Ghi chú
field-branch = Chi nhánh
reason-required = không được để trống
reason-too-short = phải có ít nhất { $arg } ký tự
reason-too-long = không được quá { $arg } ký tự
reason-control-characters = không được chứa ký tự điều khiển
reason-code-characters = chỉ dùng chữ cái, chữ số, dấu gạch ngang hoặc dấu gạch dưới
reason-username-characters = chỉ dùng chữ thường, chữ số, dấu chấm, dấu gạch ngang hoặc dấu gạch dưới, và bắt đầu bằng chữ cái hoặc chữ số
reason-invalid-choice = không nằm trong các lựa chọn
reason-invalid-timezone = không phải múi giờ hợp lệ (ví dụ Asia/Ho_Chi_Minh)
reason-invalid-email = không phải địa chỉ email hợp lệ
reason-invalid-time = phải là giờ dạng 09:30
reason-closes-before-opens = phải muộn hơn giờ mở cửa
reason-hours-overlap = trùng với một khung giờ mở cửa khác trong ngày
reason-password-too-short = phải dài ít nhất { $arg } ký tự
reason-password-contains-username = không được chứa tên đăng nhập
reason-already-taken = đã được sử dụng
reason-cannot-remove-own-admin = bạn không thể tự gỡ vai trò quản trị viên của chính mình
reason-cannot-disable-self = bạn không thể vô hiệu hóa tài khoản của chính mình
reason-wrong-password = không đúng
reason-passwords-differ = không khớp với mật khẩu mới
reason-unknown-user = không có tài khoản nhân viên nào có tên đăng nhập này
reason-unknown-branch = không có chi nhánh nào có mã này
reason-unsupported-language = là ngôn ngữ chưa được hỗ trợ
reason-too-large = quá lớn
reason-invalid-json = không phải JSON hợp lệ theo cấu trúc yêu cầu
error-invalid = Một số thông tin không hợp lệ.
error-not-found = Không tìm thấy trang này.
error-duplicate = Mục này đã tồn tại.
error-conflict = Không thể thực hiện thao tác này ở trạng thái hiện tại.
error-unauthenticated = Vui lòng đăng nhập trước.
error-bad-credentials = Tên đăng nhập hoặc mật khẩu không đúng.
error-account-disabled = Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên thư viện.
error-forbidden = Bạn không có quyền thực hiện thao tác này.
error-rate-limited = Quá nhiều lần thử không thành công. Vui lòng đợi 15 phút rồi thử lại.
error-csrf-failed = Biểu mẫu này đã hết hạn. Hãy quay lại, tải lại trang rồi thử lại.
error-busy = Hệ thống đang bận. Vui lòng thử lại sau giây lát.
error-internal = Đã xảy ra lỗi từ phía chúng tôi.
error-page-help = Nếu bạn mở trang này từ một liên kết, có thể liên kết đó đã cũ. Bạn có thể quay lại hoặc bắt đầu lại từ trang chủ.
error-page-home = Về trang chủ
error-page-reference = Lỗi { $status } · mã tham chiếu { $id }

## Thông báo trên màn hình SIP2 (máy tự mượn trả; văn bản thuần, giữ ngắn gọn)
sip2-invalid = Không hiểu yêu cầu. Vui lòng gặp thủ thư.
sip2-not-found = Không tìm thấy. Vui lòng gặp thủ thư.
sip2-conflict = Không thể thực hiện lúc này. Vui lòng gặp thủ thư.
sip2-login-required = Máy chưa đăng nhập. Vui lòng gặp thủ thư.
sip2-bad-credentials = Máy bị từ chối đăng nhập.
sip2-forbidden = Không được phép. Vui lòng gặp thủ thư.
sip2-try-later = Hệ thống đang bận. Vui lòng thử lại.

## Tra cứu mục lục
search-title = Tra cứu mục lục
search-results-title = Kết quả tra cứu: { $q }
search-label = Tìm sách và các tài liệu khác
search-hint = Nhan đề, tác giả, chủ đề hoặc ISBN. Không bắt buộc gõ dấu: "tieng viet" vẫn tìm thấy "Tiếng Việt".
search-submit = Tìm
search-advanced = Tra cứu nâng cao
search-field-title = Nhan đề
search-field-author = Tác giả
search-field-subject = Chủ đề
search-field-series = Tùng thư
search-field-isbn = ISBN hoặc ISSN
search-years = Xuất bản trong khoảng
search-year-from = Từ năm
search-year-to = Đến năm
search-no-results = Không tìm thấy kết quả nào
search-no-results-help = Hãy kiểm tra chính tả, dùng ít từ hơn hoặc bỏ bớt bộ lọc.
search-count = Kết quả { $first }–{ $last } trong tổng số { $total }
facets-label = Thu hẹp kết quả
facet-format = Loại tài liệu
facet-language = Ngôn ngữ
facet-decade = Năm xuất bản
facet-branch = Thư viện
facet-available-only = Chỉ tài liệu đang có trên giá
sort-label = Sắp xếp theo
sort-relevance = Phù hợp nhất
sort-title = Nhan đề
sort-author = Tác giả
sort-newest = Mới nhất
sort-oldest = Cũ nhất
pages-label = Các trang kết quả
page-previous = Trang trước
page-next = Trang sau
page-of = Trang { $page }/{ $pages }
availability-available = { $count ->
   *[other] Còn { $count } bản trên giá
}
availability-none = Tất cả các bản đều đang được sử dụng
availability-no-copies = Chưa có bản nào
format-book = Sách
format-ebook = Sách điện tử
format-serial = Báo, tạp chí
format-map = Bản đồ
format-score = Bản nhạc
format-sound = Tài liệu ghi âm
format-music = Bản ghi âm nhạc
format-video = Phim, video
format-kit = Bộ tài liệu
format-computer = Tệp tin máy tính
format-visual = Hình ảnh hoặc hiện vật
format-manuscript = Bản thảo, bản viết tay
format-mixed = Tài liệu hỗn hợp
format-other = Khác
language-eng = Tiếng Anh
language-vie = Tiếng Việt
language-tgl = Tiếng Tagalog
language-fil = Tiếng Filipino
language-phi = Các ngôn ngữ Philippines
language-spa = Tiếng Tây Ban Nha
language-fre = Tiếng Pháp
language-ger = Tiếng Đức
language-chi = Tiếng Trung
language-jpn = Tiếng Nhật
language-kor = Tiếng Hàn
language-rus = Tiếng Nga
language-ara = Tiếng Ả Rập
language-heb = Tiếng Do Thái
language-tha = Tiếng Thái
language-ita = Tiếng Ý
language-por = Tiếng Bồ Đào Nha
language-lat = Tiếng Latinh
status-available = Trên giá
status-checked-out = Đang cho mượn
status-reshelving = Vừa được trả
status-in-transit = Đang luân chuyển
status-on-hold-shelf = Đang giữ cho bạn đọc đặt mượn
status-on-order = Đang đặt mua
status-in-process = Đang xử lý
status-lost = Đã mất
status-missing = Thất lạc
status-damaged = Đang tu bổ
status-withdrawn = Đã thanh lý

## Trang biểu ghi
record-back = Quay lại tra cứu
record-suppressed = Ẩn khỏi mục lục công cộng
record-copies = Các bản
record-no-copies = Thư viện chưa có bản nào của tài liệu này.
record-branch = Thư viện
record-location = Vị trí
record-call-number = Ký hiệu xếp giá
record-status = Trạng thái
record-barcode = Mã vạch
record-details = Thông tin chi tiết
record-authors = Tác giả
record-edition = Lần xuất bản
record-published = Xuất bản
record-description = Mô tả vật lý
record-format = Loại tài liệu
record-language = Ngôn ngữ
record-series = Tùng thư
record-subjects = Chủ đề
record-summary = Tóm tắt
record-contents = Nội dung
record-notes = Ghi chú
record-online = Truy cập trực tuyến
record-permalink = Liên kết đến trang này
record-marc-view = Biểu ghi MARC (dành cho nhân viên)

## Trợ giúp
help-link = Hướng dẫn tra cứu
help-title = Hướng dẫn tra cứu mục lục
help-lead = Một vài mẹo giúp bạn tìm được tài liệu mình cần. Bạn có thể hỏi tại quầy bất cứ lúc nào: nhân viên thư viện luôn sẵn lòng giúp đỡ.
help-words-title = Gõ vài từ khóa
help-words = Gõ các từ có trong nhan đề, tên tác giả hoặc chủ đề. Kết quả sẽ chứa tất cả các từ bạn gõ, theo thứ tự bất kỳ. Hãy thử các ví dụ dưới đây.
help-accents-title = Không cần gõ dấu
help-accents = Bạn có thể gõ có dấu hay không dấu, chữ hoa hay chữ thường đều được: "tieng viet", "Tiếng Việt" và "TIẾNG VIỆT" đều cho ra cùng những cuốn sách.
help-phrase-title = Tìm chính xác cụm từ
help-phrase = Đặt các từ trong dấu ngoặc kép để tìm chúng đứng liền nhau, ví dụ "noli me tangere".
help-fields-title = Tìm theo một loại thông tin
help-fields = Bắt đầu bằng title: (nhan đề), author: (tác giả), subject: (chủ đề), series: (tùng thư) hoặc isbn: để chỉ tìm trong mục đó. Hoặc mở Tra cứu nâng cao và điền vào các ô bạn cần.
help-narrow-title = Quá nhiều kết quả?
help-narrow = Dùng các lựa chọn bên cạnh danh sách kết quả để chỉ giữ lại một loại tài liệu, ngôn ngữ, giai đoạn hoặc thư viện, hoặc chỉ những bản đang có trên giá.
help-find-title = Tìm sách trên giá
help-find = Trang biểu ghi cho biết những thư viện nào có bản, vị trí trên giá và ký hiệu xếp giá. Sách được xếp trên giá theo thứ tự ký hiệu xếp giá; hãy ghi lại ký hiệu xếp giá hoặc đưa trang này cho nhân viên xem.
help-try = Bắt đầu tra cứu
reason-query-too-complex = quá phức tạp; hãy dùng ít từ hơn hoặc bớt dấu ngoặc
field-q = Từ khóa tìm kiếm

## Bạn đọc, tài liệu và quy định
audit-action-import = đã nhập biểu ghi
entity-import_job = Lượt nhập
entity-item = Tài liệu (bản)
entity-patron = Bạn đọc
entity-record = Biểu ghi thư mục
field-barcode = Mã vạch
field-birth-date = Ngày sinh
field-call-number = Ký hiệu xếp giá
field-call-number-scheme = Hệ ký hiệu xếp giá
field-category = Loại bạn đọc
field-default-branch = Chi nhánh mặc định
field-first-name = Tên đệm và tên
field-home-branch = Chi nhánh đăng ký
field-item-type = Loại tài liệu
field-last-name = Họ
field-location = Vị trí xếp giá
field-lost-after-days = Số ngày quá hạn trước khi coi là mất
field-pickup-rule = Quy định nhận sách
field-pin = Mã PIN
field-preferred-locale = Ngôn ngữ ưa dùng
field-status = Trạng thái
reason-barcode-characters = chỉ dùng chữ và số, tối đa 32 ký tự
reason-date-in-future = không được là ngày trong tương lai
reason-invalid-amount = phải là một số tiền, ví dụ 12.50
reason-invalid-date = phải là ngày theo dạng 2026-03-14
reason-invalid-number = phải là số nguyên
reason-invalid-phone = phải là số điện thoại (chữ số, khoảng trắng, + - ( ))
reason-invalid-pin = phải gồm 4 đến 8 chữ số
reason-lost-before-long-overdue = phải muộn hơn ngày quá hạn lâu
reason-out-of-range = nằm ngoài khoảng cho phép
reason-too-many-decimals = có quá nhiều chữ số thập phân
reason-unknown-location = chi nhánh này không có vị trí xếp giá mang mã đó

## Biên mục: nhập và cách ly
nav-catalog-import = Nhập biểu ghi
import-title = Nhập biểu ghi vào mục lục
import-lead = Mục lục hiện có { $records } biểu ghi và { $items } bản tài liệu. Tải lên tệp MARC để thêm hoặc cập nhật biểu ghi.
import-file = Tệp MARC
import-file-hint = ISO 2709 (.mrc), MARCXML hoặc MARC-in-JSON, mã MARC-8 hoặc UTF-8. Với tệp rất lớn, hãy dùng lệnh `quire import`.
import-matching = Tìm biểu ghi đã có theo
import-matching-control-number = Số kiểm soát (001 và 003)
import-matching-isbn = Số ISBN
import-matching-none = Không tìm: mọi biểu ghi đều là mới
import-on-match = Khi biểu ghi đã tồn tại
import-on-match-replace = Thay bằng biểu ghi mới
import-on-match-skip = Giữ biểu ghi cũ
import-on-match-merge-items = Giữ biểu ghi cũ và thêm các bản mới
import-holdings = Lấy bản tài liệu từ
import-holdings-auto = Tự nhận biết (952, 949 hoặc 852)
import-holdings-koha-952 = Trường 952 (Koha)
import-holdings-marc-852 = Trường 852 (dữ liệu vốn MARC)
import-holdings-local-949 = Trường 949 (nội bộ)
import-holdings-none = Không tạo bản tài liệu
import-start = Bắt đầu nhập
import-jobs = Các lượt nhập gần đây
import-source = Tệp nguồn
import-started = Bắt đầu lúc
import-state = Tình trạng
import-state-running = Đang nhập…
import-state-done = Đã xong
import-state-failed = Thất bại
import-records = Số biểu ghi đã đọc
import-created = Mới
import-replaced = Đã thay
import-skipped = Giữ nguyên
import-quarantined = Bị cách ly
import-items = Số bản đã tạo
import-no-jobs = Chưa có lượt nhập nào.
import-job-title = Lượt nhập tệp { $source }
quarantine-title = Biểu ghi bị cách ly
quarantine-lead = Các biểu ghi không nhập được, kèm lý do. Hãy thử lại hoặc loại bỏ.
quarantine-none = Không có biểu ghi nào đang bị cách ly.
quarantine-position = Biểu ghi số
quarantine-reason = Lý do
quarantine-entry-title = Biểu ghi bị cách ly
quarantine-byte = byte thứ { $offset } của tệp
quarantine-content = Nội dung đọc được
quarantine-retry = Thử lại
quarantine-discard = Loại bỏ
quarantine-discard-confirm = Loại bỏ biểu ghi này? Nó sẽ không được nhập.
notice-still-bad = Biểu ghi vẫn chưa nhập được: xem lý do bên dưới.
reason-upload-failed = không nhận được; hãy thử lại
field-file = Tệp
audit-action-discard = đã loại bỏ
entity-quarantine = Biểu ghi bị cách ly
