# SIP2: máy tự mượn trả và máy phân loại sách (thông báo trên màn hình) và tài khoản của chúng.

sip2-session-ended = Cảm ơn bạn. Tạm biệt.
sip2-not-supported = Máy này không làm được việc đó. Vui lòng gặp nhân viên.
sip2-hold-unavailable = Chưa thể đặt giữ tài liệu tại máy này. Vui lòng gặp nhân viên.
sip2-wrong-pin = Sai mã PIN. Vui lòng thử lại.
sip2-checkout-cancelled = Đã hủy lượt mượn.
sip2-due = Hạn trả: { $due }.
sip2-not-on-loan = Tài liệu này không được cho mượn.
sip2-send-to = Chuyển đến { $branch }.
sip2-hold-shelf = Đặt lên kệ tài liệu đặt giữ.
sip2-not-your-loan = Bạn không mượn tài liệu này.
sip2-bad-amount = Số tiền hoặc loại tiền không hợp lệ.
sip2-payment-received = Đã nhận thanh toán: { $amount }. Cảm ơn bạn.

field-login = Tên đăng nhập
field-institution = Cơ quan
field-charset = Bộ mã ký tự
field-amount = Số tiền
field-route = Hướng chuyển
field-bin = Ngăn phân loại
reason-more-than-owed = lớn hơn số tiền bạn đọc đang nợ

audit-action-delete = đã xóa
audit-action-pay = đã thanh toán
entity-sip2_account = Tài khoản SIP2
entity-sort_bin = Ngăn phân loại
entity-fee = Khoản phí
