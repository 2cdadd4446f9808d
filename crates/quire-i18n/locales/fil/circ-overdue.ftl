# Matagal nang lampas sa takdang petsa, nawala ayon sa sweep, at ang nalutas ng SIP2 na pagsasauli.

status-long-overdue = Matagal nang lampas sa takdang petsa
audit-action-mark-long-overdue = Minarkahang matagal nang lampas sa takdang petsa
sip2-resolved-lost-found = Natagpuan ang nawalang aytem.
sip2-resolved-lost-credit = Natagpuan ang nawalang aytem: ibinalik sa patron ang { $amount }.
sip2-resolved-claim-cleared = Natagpuan ang aytem na sinabing naisauli: inalis na ang paghahabol.
sip2-resolved-missing-found = Natagpuan ang nawawalang aytem.
patron-history-link = Kasaysayan ng pagbabasa
patron-history-title = Kasaysayan ng pagbabasa ni { $name }
patron-history-caption = Mga naisauling hiram ({ $total })
patron-history-off = Hindi nag-iingat ng kasaysayan ng pagbabasa ang patron na ito: ginagawang anonimo ang mga naisauling hiram, at walang nakikita ang kawani.
