# Đặt giữ và luân chuyển: trang nhân viên, từ chối, tên trong nhật ký, lỗi trường.

nav-holds = Đặt giữ
holds-show = Hiển thị
holds-nav-label = Đặt giữ và luân chuyển
holds-pull-title = Danh sách cần lấy
holds-pull-lead = Các bản trên kệ của chi nhánh này cần lấy cho yêu cầu đặt giữ, mỗi yêu cầu một bản, yêu cầu cũ nhất trước, theo thứ tự trên kệ.
holds-pull-caption = { $count ->
    [one] Một bản cần lấy
   *[other] { $count } bản cần lấy
}
holds-pull-empty = Không có gì cần lấy.
holds-shelf-title = Kệ đặt giữ
holds-shelf-caption = { $count ->
    [one] Một yêu cầu đang chờ
   *[other] { $count } yêu cầu đang chờ
}
holds-shelf-empty = Không có yêu cầu nào đang chờ ở đây.
holds-shelf-expired = Đã quá hạn nhận
holds-col-title = Nhan đề
holds-col-pickup = Chi nhánh nhận
holds-col-placed = Ngày đặt
holds-col-deadline = Nhận trước
holds-col-patron = Bạn đọc
holds-col-status = Trạng thái
holds-col-actions = Thao tác
holds-cancel = Hủy đặt giữ
holds-cancel-for = bạn đọc { $patron }
holds-queue-title = Hàng đợi đặt giữ
holds-queue-caption = { $count ->
    [one] Một yêu cầu đang hoạt động
   *[other] { $count } yêu cầu đang hoạt động
}
holds-queue-empty = Không ai đang chờ nhan đề này.
holds-suspended-until = tạm dừng đến { $date }
holds-place = Đặt giữ cho bạn đọc
holds-place-button = Đặt giữ
holds-pickup-home = Chi nhánh chính của bạn đọc
hold-status-placed = Trong hàng đợi
hold-status-in-transit = Bản đang được chuyển đến
hold-status-waiting = Đang chờ trên kệ đặt giữ
notice-hold-placed = Đã đặt giữ.
notice-hold-cancelled = Đã hủy đặt giữ.

transits-title = Luân chuyển
transits-receive = Nhận một tài liệu
transits-item-barcode = Mã vạch tài liệu (quét)
transits-receive-button = Nhận
transits-outcome-hold = Đặt lên kệ đặt giữ:
transits-outcome-transit = Chuyển tiếp đến { $branch }.
transits-outcome-reshelve = Xếp lại lên kệ.
transits-incoming = Đang đến đây
transits-incoming-caption = { $count ->
    [one] Một tài liệu đang đến đây
   *[other] { $count } tài liệu đang đến đây
}
transits-outgoing = Đã gửi từ đây
transits-outgoing-caption = { $count ->
    [one] Một tài liệu đã gửi từ đây
   *[other] { $count } tài liệu đã gửi từ đây
}
transits-none = Không có tài liệu.
transits-col-sent = Ngày gửi
transits-col-from = Từ
transits-col-to = Đến
transits-col-reason = Lý do
transits-reason-hold = Cho yêu cầu đặt giữ
transits-reason-home = Về chi nhánh gốc

refusal-hold-already-placed = Bạn đọc đã đặt giữ nhan đề này rồi.

audit-action-place-hold = đã đặt giữ
audit-action-cancel-hold = đã hủy đặt giữ
audit-action-suspend-hold = đã tạm dừng đặt giữ
audit-action-resume-hold = đã tiếp tục đặt giữ
audit-action-change-pickup = đã đổi chi nhánh nhận
audit-action-capture-hold = đã giữ một bản cho yêu cầu
audit-action-release-hold = đã trả bản của yêu cầu về hàng đợi
audit-action-fulfil-hold = đã hoàn tất đặt giữ
audit-action-expire-hold = yêu cầu đặt giữ đã hết hạn
audit-action-hold-ready = đặt giữ sẵn sàng để nhận
audit-action-send-transit = đã gửi tài liệu đi luân chuyển
audit-action-receive-transit = đã nhận tài liệu luân chuyển
entity-hold = Đặt giữ
entity-transit = Luân chuyển

field-record = Biểu ghi
field-pickup = Chi nhánh nhận
field-not-needed-after = Không cần sau ngày
field-until = Tạm dừng đến
field-direction = Chiều
reason-unknown-item = không có tài liệu nào có mã vạch này
reason-unknown-record = không có biểu ghi nào có số này
reason-unknown-patron = không có bạn đọc nào có số thẻ này
reason-must-be-future = phải là một ngày sau
