## MARC editor: the 008 for every material configuration, and fixed-field messages.

cat-allowed-values = (allowed: { $allowed })
marc-f008-character = the 008 has a character at position { $arg } that is no code anywhere (only printable ASCII)
marc-position-undefined = positions { $arg } are undefined for this material and should be blank (#) or fill (|)

pos-f008-serials-24 = Nature of entire work
pos-f008-serials-25 = Nature of contents
pos-f008-maps-18 = Relief
pos-f008-maps-22 = Projection
pos-f008-maps-25 = Type of cartographic material
pos-f008-maps-28 = Government publication
pos-f008-maps-29 = Form of item
pos-f008-maps-31 = Index
pos-f008-maps-33 = Special format characteristics
pos-f008-music-18 = Form of composition
pos-f008-music-20 = Format of music
pos-f008-music-21 = Music parts
pos-f008-music-22 = Target audience
pos-f008-music-23 = Form of item
pos-f008-music-24 = Accompanying matter
pos-f008-music-30 = Literary text for sound recordings
pos-f008-music-33 = Transposition and arrangement
pos-f008-computer-22 = Target audience
pos-f008-computer-23 = Form of item
pos-f008-computer-26 = Type of computer file
pos-f008-computer-28 = Government publication
pos-f008-visual-18 = Running time (minutes; nnn not applicable, --- unknown)
pos-f008-visual-22 = Target audience
pos-f008-visual-28 = Government publication
pos-f008-visual-29 = Form of item
pos-f008-visual-33 = Type of visual material
pos-f008-visual-34 = Technique
pos-f008-mixed-23 = Form of item

## Cataloging API
reason-marc-unreadable = could not be read as one MARC record: { $arg }
error-precondition-failed = The record changed since you read it. Read it again and repeat your change.
error-precondition-required = Send If-Match with the ETag you read, to replace the record.
error-unsupported-media-type = Send the record as MARC-in-JSON or MARCXML.
