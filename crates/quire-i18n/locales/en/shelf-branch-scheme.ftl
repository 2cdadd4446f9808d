# Paged shelving carts in the API, per-branch default call number schemes.

field-cursor = Page cursor
reason-invalid-cursor = is not a cursor from this list (start again from the first page)
