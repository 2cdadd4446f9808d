# same-as-english:
# Danh sách kệ theo trang, khung ký hiệu xếp giá mặc định của thư viện.

field-size = Số mục mỗi trang
field-jump = Đến ký hiệu xếp giá
shelf-page-size = Số mục mỗi trang
shelf-jump = Đến ký hiệu xếp giá
shelf-jump-hint = Danh sách bắt đầu từ cuốn đầu tiên có ký hiệu bằng hoặc sau ký hiệu này.
shelf-jump-past-end = Không có sách nào trên xe xếp bằng hoặc sau { $callnumber }: đây là trang cuối.
shelf-pages = Các trang của xe sách
shelf-pages-end = Các trang của xe sách (cuối danh sách)
shelf-page-position = Mục { $first }–{ $last } trên { $total }
shelf-page-first = Trang đầu
shelf-page-prev = Trang trước
shelf-page-next = Trang sau
shelf-page-last = Trang cuối
shelf-print-all = In toàn bộ xe sách ({ $total } mục)

scheme-settings-title = Khung ký hiệu xếp giá
scheme-settings-lead = Khung phân loại dùng để đọc ký hiệu xếp giá khi tài liệu không ghi khung nào và trường 050, 082, 090 hoặc 092 của biểu ghi không quyết định được. Các tài liệu đã lưu giữ nguyên khung của chúng.
scheme-settings-hint = Dùng cho tài liệu mới và tài liệu được sửa, khi nhập biểu ghi và khi "đến ký hiệu xếp giá".
field-scheme = Khung mặc định
scheme-guess = Không có: đoán theo từng ký hiệu xếp giá
scheme-effective = Đọc theo { $scheme }: { $why }
scheme-why-item = đã chọn trên tài liệu này.
scheme-why-marc = trường { $tag } của biểu ghi cho biết như vậy.
scheme-why-library-default = khung mặc định của thư viện.
scheme-why-guessed = đoán từ ký hiệu xếp giá (thư viện chưa đặt khung mặc định).
scheme-detect-default = "Tự nhận biết từ ký hiệu xếp giá" lấy khung của trường 050/082/090/092 trong biểu ghi khi ký hiệu xếp giá là một trong số đó, nếu không thì lấy khung mặc định của thư viện: { $scheme }.
scheme-detect-guess = "Tự nhận biết từ ký hiệu xếp giá" lấy khung của trường 050/082/090/092 trong biểu ghi khi ký hiệu xếp giá là một trong số đó, nếu không thì đoán từ ký hiệu xếp giá.
shelf-print-cut = Danh sách dừng ở đây: không đọc được xe sách đến cuối. Hãy tải lại trang để thử lại.
