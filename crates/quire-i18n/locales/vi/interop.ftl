# Biên mục sao chép (máy chủ Z39.50 / SRU) và các màn hình liên thông khác.

nav-copy = Biên mục sao chép
copy-title = Biên mục sao chép
copy-lead = Tìm trong mục lục của thư viện khác và sao chép biểu ghi về thư viện của bạn thay vì nhập tay.
copy-no-targets = Chưa có máy chủ nào để tìm. Quản trị viên thêm chúng ở mục Máy chủ Z39.50.
copy-targets = Tìm trên các máy chủ này
copy-kind = Tìm theo
copy-kind-isbn = Số ISBN
copy-kind-title = Nhan đề và tác giả
copy-kind-lccn = Số LCCN
copy-term = ISBN, LCCN hoặc nhan đề
copy-term-hint = Khi tìm theo nhan đề, bạn có thể điền thêm tác giả.
copy-author = Tác giả
copy-search = Tìm
copy-results = Kết quả
copy-target-error = Máy chủ này không trả lời:
copy-hits = { $count ->
   *[other] Tìm thấy { $count } biểu ghi
}
copy-col-author = Tác giả
copy-col-date = Năm
copy-col-isbn = Số ISBN
copy-col-001 = Số kiểm soát (001)
copy-col-source = Nguồn
copy-import = Nhập “{ $title }”
copy-import-anyway = Vẫn nhập thành biểu ghi mới
copy-open-editor = Mở trong trình soạn MARC
copy-duplicates-title = Biểu ghi này có thể đã có trong mục lục của bạn
copy-duplicates-lead = “{ $title }” từ { $source } trùng với các biểu ghi sau trong mục lục của bạn. Hãy mở một biểu ghi, hoặc nhập bản sao thành biểu ghi mới.
copy-match-isbn = trùng ISBN
copy-match-lccn = trùng LCCN
copy-match-control-number = trùng số kiểm soát
notice-copy-imported = Đã sao chép biểu ghi vào mục lục của bạn.
notice-target-deleted = Đã xoá máy chủ.

ztargets-title = Máy chủ Z39.50
ztargets-lead = Các mục lục mà biên mục sao chép tìm kiếm: máy chủ Z39.50 (máy, cổng, cơ sở dữ liệu) hoặc máy chủ SRU (URL gốc).
ztargets-caption = { $count ->
   *[other] { $count } máy chủ
}
ztargets-address = Địa chỉ
ztargets-state = Trạng thái
ztargets-enabled = Đang dùng
ztargets-disabled = Không dùng
ztargets-none = Chưa có máy chủ nào.
ztargets-new = Thêm máy chủ
ztargets-create = Thêm máy chủ
ztargets-save = Lưu
ztargets-delete = Xoá máy chủ này
ztargets-delete-button = Xoá { $name }
ztargets-host-hint = Ví dụ lx2.loc.gov. Để trống nếu máy chủ chỉ dùng SRU.
ztargets-sru-hint = Không bắt buộc: URL gốc SRU dạng http://, dùng thay cho Z39.50.
field-host = Máy chủ
field-port = Cổng
field-database = Cơ sở dữ liệu
field-syntax = Khuôn dạng biểu ghi
field-charset = Bộ mã ký tự
field-sru-url = URL gốc SRU
field-t = Các máy chủ
syntax-usmarc = MARC 21, dạng nhị phân ISO 2709
syntax-marcxml = MARCXML (MARC 21 dạng XML)
charset-auto = Theo biểu ghi (leader/09)
charset-utf-8 = UTF-8 (Unicode, thông dụng)
charset-marc-8 = MARC-8 (biểu ghi cũ)
reason-invalid-host = không phải tên hoặc địa chỉ máy chủ
reason-invalid-port = phải là số từ 1 đến 65535
reason-invalid-url = phải là địa chỉ http:// hoặc https://
reason-host-or-sru-required = hãy nhập máy chủ hoặc URL gốc SRU
reason-invalid-database = phải là tên cơ sở dữ liệu không có khoảng trắng
reason-choose-target = hãy chọn ít nhất một máy chủ
reason-unreadable-marc = không đọc được như một biểu ghi MARC
reason-missing-title = không có nhan đề (245)
entity-z_target = Máy chủ Z39.50
audit-action-remove = đã xoá
