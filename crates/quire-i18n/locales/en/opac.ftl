# Patron self-service in the public catalog (/my), the notices outbox, and notice e-mails.

nav-my-login = Sign in to my account
nav-my-account = My account ({ $name })
nav-notices = Notices
my-logout = Sign out

my-login-title = Sign in to your library account
my-field-card = Library card number
my-field-card-hint = The number under the barcode on your card.
my-field-pin = PIN
my-login-submit = Sign in
my-login-help = Forgot your PIN? Ask at any branch desk; bring your library card.
my-login-card-required = Enter your library card number.
my-login-pin-required = Enter your PIN.
my-login-failed = The card number or PIN is not correct.

my-nav-label = My account
my-nav-loans = My loans
my-nav-fines = My fines
my-nav-settings = PIN and language

my-loans-title = My loans
my-loans-current = On loan now
my-renewed = Renewed. The new due date is shown below.
my-balance = Balance: { $amount }
my-balance-details = See fines and payments
my-col-title = Title
my-col-barcode = Item
my-col-due = Due
my-col-renewals-left = Renewals left
my-col-actions = Actions
my-overdue = Overdue
my-renew = Renew
my-renew-label = Renew “{ $title }”
my-no-loans = You have nothing on loan.

my-fines-title = My fines and payments
my-col-date = Date
my-col-kind = What
my-col-note = Note
my-col-amount = Amount
my-fee-overdue = Overdue fine
my-no-fines = No fines or payments.

my-settings-title = PIN and language
my-change-pin = Change PIN
my-pin-changed = Your PIN has been changed.
my-pin-hint = 4 to 8 digits.
field-current-pin = Current PIN
field-new-pin = New PIN
field-confirm-pin = New PIN again
reason-wrong-pin = is not correct
reason-pins-differ = does not match the new PIN
my-language = Preferred language
my-language-label = Language for the catalog and for notices
my-language-hint = Notices about due dates and holds are sent in this language.
field-language = Language
reason-unknown-language = is not one of the offered languages
my-language-save = Save language
my-language-saved = Your preferred language has been saved.

notices-title = Notices
notices-lead = Due-soon, overdue and hold-ready notices to patrons, newest first.
notices-filter-status = Status
notices-status-all = All
notices-filter = Show
notices-none = No notices.
notices-col-created = Created
notices-col-kind = Kind
notices-col-patron = Patron
notices-col-subject = Subject
notices-col-status = Status
notices-col-attempts = Attempts
notices-col-error = Last error
notices-col-actions = Actions
notices-next-attempt = next attempt { $at }
notices-resend = Send again
notices-resend-label = Send notice { $id } again
notice-kind-due-soon = Due soon
notice-kind-overdue = Overdue
notice-kind-hold-ready = Hold ready
notice-status-pending = Waiting to be sent
notice-status-sent = Sent
notice-status-failed = Failed
notice-status-skipped = Not sent
notice-skip-no-email = no e-mail address

audit-action-change-pin = change PIN
audit-action-resend = send again
entity-notice = notice

mail-greeting = Dear { $name },
mail-footer = Your library. You can see your loans and renew them in the catalog under “My account”.
mail-due-soon-subject = Due soon: { $title }
mail-due-soon-body = “{ $title }” (item { $barcode }) is due on { $due }. Please return or renew it by then.
mail-overdue-subject = Overdue: { $title }
mail-overdue-body = “{ $title }” (item { $barcode }) was due on { $due } and is now overdue. Please return it as soon as possible; fines may apply.
mail-hold-ready-subject = Ready for pickup: { $title }
mail-hold-ready-body = “{ $title }” is waiting for you at { $branch }.
mail-hold-ready-body-until = “{ $title }” is waiting for you at { $branch } until { $until }.
