# Kệ sách: xe sách chờ xếp lại, duyệt kệ, kiểm kê kệ.

nav-shelf = Xếp sách
shelf-carts-title = Xe sách chờ xếp lại
shelf-carts-lead = Sách đã trả đang chờ xếp lên kệ, theo đúng thứ tự trên kệ. In danh sách, xếp sách, rồi quét từng cuốn để xác nhận.
shelf-all-locations = Mọi vị trí
shelf-carts-show = Xem xe sách
shelf-cart-heading = { $branch }: { $count ->
    [one] một cuốn cần xếp
   *[other] { $count } cuốn cần xếp
}
shelf-cart-auto = Sách để trên xe quá { $minutes } phút sẽ tự động chuyển thành có sẵn.
shelf-scan-shelved = Quét cuốn sách đã xếp
shelf-scan-shelved-hint = Quét từng cuốn khi đặt lên kệ; phím Enter của máy quét sẽ xác nhận.
shelf-shelved-button = Đã xếp
shelf-shelved-done = { $count ->
    [one] Một cuốn đã về kệ:
   *[other] { $count } cuốn đã về kệ:
}
shelf-refused-unknown-item = Không có tài liệu nào mang mã vạch { $barcode }.
shelf-refused-not-reshelving = { $barcode } không nằm trên xe sách (trạng thái: { $status }).
shelf-print = In danh sách
shelf-cart-empty = Xe sách đang trống.
shelf-col-title = Nhan đề
shelf-col-since = Trên xe từ
shelf-inventory-title = Kiểm kê kệ
shelf-inventory-lead = Chọn một đoạn kệ, quét sách theo thứ tự đang đứng, Quire sẽ cho biết cuốn nào sai thứ tự, bị thiếu hoặc ghi nhận sai.
shelf-inventory-start = Kiểm một đoạn kệ
shelf-inventory-next = Kiểm đoạn kệ tiếp theo
shelf-no-location = Không có vị trí
shelf-range-hint = Không bắt buộc: ký hiệu xếp giá đầu và cuối của đoạn kệ.
shelf-inventory-scan-hint = Mỗi dòng một mã vạch, theo thứ tự trên kệ (trái sang phải, trên xuống dưới).
shelf-inventory-check = Kiểm tra đoạn kệ
shelf-report-title = Đã quét { $scanned }, dự kiến { $expected } cuốn trên kệ
shelf-report-summary = Sai thứ tự: { $ooo }. Bị thiếu: { $missing }. Thuộc chỗ khác: { $elsewhere }. Sai trạng thái: { $wrong }.
shelf-report-out-of-order = Sai thứ tự
shelf-report-missing = Dự kiến có nhưng chưa quét
shelf-report-elsewhere = Thuộc chỗ khác
shelf-report-wrong-status = Có trên kệ nhưng ghi nhận khác
shelf-report-unknown = Mã vạch không xác định
shelf-report-duplicates = Quét hai lần
shelf-report-all-good = Mọi thứ đều đúng thứ tự.
shelf-col-position = Lượt quét
shelf-col-item = Sách
shelf-col-belongs = Vị trí đúng
shelf-col-action = Thao tác
shelf-belongs-between = giữa { $after } và { $before }
shelf-belongs-after = sau { $after }
shelf-belongs-before = trước { $before }
shelf-belongs-at = thuộc { $branch }, { $location }
shelf-mark-missing = Đánh dấu { $barcode } bị mất
shelf-fix-found = Đã tìm thấy: cho { $barcode } sẵn sàng
shelf-fix-needs-circulation = Nhân viên lưu thông có thể sửa mục này.
shelf-fix-title = Đã đổi trạng thái
shelf-fix-done = { $barcode }: từ { $from } chuyển thành { $to }.
shelf-fix-loan-closed = Lượt mượn đã được đóng.
shelf-back-to-inventory = Quay lại kiểm kê kệ
shelf-browse-title = Duyệt kệ sách
shelf-browse-back = Quay lại biểu ghi
shelf-browse-lead = Những cuốn đứng cạnh cuốn này trên kệ tại { $branch } ({ $location }).
shelf-browse-pages = Các trang của kệ
shelf-browse-prev = Phía trước trên kệ
shelf-browse-next = Xa hơn trên kệ
shelf-browse-empty = Kệ này không còn cuốn nào khác.
shelf-record-heading = Sách đứng gần trên kệ
shelf-record-browse = Duyệt kệ sách
field-barcodes = Mã vạch
field-from = Từ ký hiệu xếp giá
field-to = Đến ký hiệu xếp giá
field-after = Trang sau
field-before = Trang trước
field-minutes = Số phút
reason-too-many = có quá nhiều mục (tối đa 5000)
reason-invalid-barcode = chứa nội dung không phải mã vạch (chỉ chữ và số)
reason-range-reversed = đứng trước ký hiệu xếp giá đầu tiên
reason-unknown-item = không có tài liệu nào trên kệ này mang mã số này
reason-not-reshelving = không nằm trên xe sách chờ xếp
reason-status-ok = đã có trạng thái phù hợp với sách trên kệ
reason-cannot-mark-missing = không thể đánh dấu bị mất ở trạng thái hiện tại
audit-action-shelve = Đã xếp lên kệ
audit-action-auto-shelve = Tự động xếp lên kệ
audit-action-inventory = Kiểm kê kệ
audit-action-mark-missing = Đánh dấu bị mất
entity-inventory_run = Kiểm kê kệ
entity-setting = Cài đặt
