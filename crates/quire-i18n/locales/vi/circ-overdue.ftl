# Quá hạn lâu, mất do lượt quét quá hạn, và kết quả trả tài liệu qua SIP2.

status-long-overdue = Quá hạn lâu
audit-action-mark-long-overdue = Đã đánh dấu quá hạn lâu
sip2-resolved-lost-found = Đã tìm thấy tài liệu bị mất.
sip2-resolved-lost-credit = Đã tìm thấy tài liệu bị mất: hoàn lại { $amount } cho bạn đọc.
sip2-resolved-claim-cleared = Đã tìm thấy tài liệu bạn đọc báo đã trả: đã hủy báo cáo đó.
sip2-resolved-missing-found = Đã tìm thấy tài liệu thất lạc.
patron-history-link = Lịch sử đọc
patron-history-title = Lịch sử đọc của { $name }
patron-history-caption = Tài liệu đã trả ({ $total })
patron-history-off = Bạn đọc này không lưu lịch sử đọc: các lượt mượn đã trả được ẩn danh, nhân viên không xem được.
