# same-as-english:
# Mga kariton na hinati sa pahina sa API, default na scheme ng call number bawat sangay.

field-cursor = Cursor ng pahina
reason-invalid-cursor = ay hindi cursor mula sa listahang ito (magsimula muli sa unang pahina)
