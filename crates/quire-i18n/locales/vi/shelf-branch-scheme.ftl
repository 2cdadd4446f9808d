# same-as-english:
# Xe sách chia trang trong API, lược đồ ký hiệu xếp giá mặc định theo chi nhánh.

field-cursor = Con trỏ trang
reason-invalid-cursor = không phải là con trỏ của danh sách này (hãy bắt đầu lại từ trang đầu)
