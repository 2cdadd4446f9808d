# same-as-english:
# Xe sách chia trang trong API, lược đồ ký hiệu xếp giá mặc định theo chi nhánh.

field-cursor = Con trỏ trang
reason-invalid-cursor = không phải là con trỏ của danh sách này (hãy bắt đầu lại từ trang đầu)

field-branch-scheme = Lược đồ mặc định của chi nhánh
branch-scheme-title = Mặc định của chi nhánh
branch-scheme-lead = Một chi nhánh có thể đọc ký hiệu xếp giá theo lược đồ riêng (thư viện luật dùng "khác" trong khi thư viện chính dùng Dewey). Tài liệu của chi nhánh dùng lược đồ này khi không tự ghi lược đồ và trường MARC của biểu ghi không quyết định; nếu không, lược đồ mặc định của thư viện được áp dụng. Tài liệu đã lưu giữ nguyên lược đồ và vị trí trên giá.
branch-scheme-table = Lược đồ mặc định của từng chi nhánh
branch-scheme-library = Mặc định của thư viện
branch-scheme-library-is = Mặc định của thư viện ({ $scheme })
branch-scheme-library-guess = Mặc định của thư viện (không có: đoán)
branch-scheme-save = Lưu mặc định của chi nhánh
scheme-why-branch-default = lược đồ mặc định của chi nhánh của tài liệu.
scheme-detect-branches = Các chi nhánh này có lược đồ mặc định riêng, dùng thay cho lược đồ của thư viện với tài liệu của chúng:
