# same-as-english:
# Mga kariton na hinati sa pahina sa API, default na scheme ng call number bawat sangay.

field-cursor = Cursor ng pahina
reason-invalid-cursor = ay hindi cursor mula sa listahang ito (magsimula muli sa unang pahina)

field-branch-scheme = Default na scheme ng sangay
branch-scheme-title = Mga default ng sangay
branch-scheme-lead = Maaaring basahin ng isang sangay ang mga call number sa sarili nitong scheme (isang aklatang pambatas sa "iba pa" habang Dewey ang gamit ng pangunahing aklatan). Ginagamit ito ng mga aytem nito kapag walang nakatakdang scheme at hindi ito napagpasyahan ng MARC field ng record; kung hindi, ang default ng aklatan ang ginagamit. Pinananatili ng mga aytem na naka-save na ang kanilang scheme at ang kanilang puwesto sa estante.
branch-scheme-table = Default na scheme ng bawat sangay
branch-scheme-library = Ang default ng aklatan
branch-scheme-library-is = Ang default ng aklatan ({ $scheme })
branch-scheme-library-guess = Ang default ng aklatan (wala: hinuhulaan)
branch-scheme-save = I-save ang default ng sangay
scheme-why-branch-default = ang default na scheme ng sangay ng aytem.
scheme-detect-branches = May sariling default ang mga sangay na ito, na ginagamit sa halip ng sa aklatan para sa kanilang mga aytem:
