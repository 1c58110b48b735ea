; JavaScript's class fields (`#handler`, `static create = (issues) => ...`): members a call reaches through a
; value's type. TypeScript's grammar names them public_field_definition (typescript-definitions.scm).
(field_definition property: (_) @name) @definition.field
