# Biên mục sao chép: lý do một máy chủ Z39.50/SRU không trả về biểu ghi nào.

copy-error-timeout = Máy chủ không trả lời kịp thời. Có thể máy chủ đang ngừng hoạt động, chậm, hoặc không truy cập được từ mạng này.
copy-error-dns = Không tìm thấy tên máy chủ. Hãy kiểm tra tên, hoặc xem máy tính này có kết nối Internet không.
copy-error-refused = Máy chủ từ chối kết nối: không có dịch vụ nào lắng nghe trên cổng đó. Hãy kiểm tra máy chủ và cổng.
copy-error-unreachable = Không thể tới máy chủ từ mạng này (không có đường đi). Hãy kiểm tra kết nối Internet.
copy-error-connect = Kết nối thất bại.
copy-error-tls = Kết nối bảo mật (https) thất bại: chứng chỉ của máy chủ không được tin cậy, hoặc quá trình bắt tay thất bại.
copy-error-http = Máy chủ web trả về lỗi.
copy-error-diagnostic = Máy chủ trả lời bằng một thông báo lỗi (chẩn đoán).
copy-error-protocol = Không hiểu được câu trả lời của máy chủ.
copy-error-detail = Chi tiết kỹ thuật:
