# same-as-english:
## Trình soạn MARC: trường 008 cho mọi loại tài liệu, và thông báo về trường có độ dài cố định.

cat-allowed-values = (giá trị cho phép: { $allowed })
marc-f008-character = trường 008 có ký tự ở vị trí { $arg } không phải là mã ở bất kỳ đâu (chỉ ASCII in được)
marc-position-undefined = các vị trí { $arg } không được định nghĩa cho loại tài liệu này, nên để trống (#) hoặc ký tự lấp (|)

pos-f008-serials-24 = Bản chất toàn bộ tác phẩm
pos-f008-serials-25 = Bản chất nội dung
pos-f008-maps-18 = Địa hình
pos-f008-maps-22 = Phép chiếu
pos-f008-maps-25 = Loại tài liệu bản đồ
pos-f008-maps-28 = Ấn phẩm chính phủ
pos-f008-maps-29 = Hình thức tài liệu
pos-f008-maps-31 = Bảng tra
pos-f008-maps-33 = Đặc điểm hình thức đặc biệt
pos-f008-music-18 = Hình thức sáng tác
pos-f008-music-20 = Hình thức bản nhạc
pos-f008-music-21 = Phân bè
pos-f008-music-22 = Đối tượng bạn đọc
pos-f008-music-23 = Hình thức tài liệu
pos-f008-music-24 = Tài liệu kèm theo
pos-f008-music-30 = Văn bản văn học cho bản ghi âm
pos-f008-music-33 = Dịch giọng và phối khí
pos-f008-computer-22 = Đối tượng bạn đọc
pos-f008-computer-23 = Hình thức tài liệu
pos-f008-computer-26 = Loại tệp máy tính
pos-f008-computer-28 = Ấn phẩm chính phủ
pos-f008-visual-18 = Thời lượng (phút; nnn không áp dụng, --- không rõ)
pos-f008-visual-22 = Đối tượng người xem
pos-f008-visual-28 = Ấn phẩm chính phủ
pos-f008-visual-29 = Hình thức tài liệu
pos-f008-visual-33 = Loại tài liệu nhìn
pos-f008-visual-34 = Kỹ thuật
pos-f008-mixed-23 = Hình thức tài liệu

## Cataloging API
reason-marc-unreadable = không đọc được thành một biểu ghi MARC: { $arg }
error-precondition-failed = Biểu ghi đã thay đổi từ khi bạn đọc nó. Hãy đọc lại và thực hiện lại thay đổi.
error-precondition-required = Hãy gửi If-Match với ETag bạn đã đọc để thay thế biểu ghi.
error-unsupported-media-type = Hãy gửi biểu ghi ở dạng MARC-in-JSON hoặc MARCXML.
