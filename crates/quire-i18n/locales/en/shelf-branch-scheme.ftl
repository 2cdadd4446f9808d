# Paged shelving carts in the API, per-branch default call number schemes.

field-cursor = Page cursor
reason-invalid-cursor = is not a cursor from this list (start again from the first page)

field-branch-scheme = Default scheme of the branch
branch-scheme-title = Branch defaults
branch-scheme-lead = A branch may read call numbers in its own scheme (a law library in "other" while the main library uses Dewey). Its items use it when they name no scheme and the record's MARC field does not decide; otherwise the library's default applies. Items already saved keep their scheme and their place on the shelf.
branch-scheme-table = Default scheme of each branch
branch-scheme-library = The library's default
branch-scheme-library-is = The library's default ({ $scheme })
branch-scheme-library-guess = The library's default (none: guessed)
branch-scheme-save = Save the branch's default
scheme-why-branch-default = the default scheme of the item's branch.
scheme-detect-branches = These branches have their own default, used instead of the library's for their items:
