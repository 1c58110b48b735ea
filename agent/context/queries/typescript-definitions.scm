; TypeScript's declarations that its tags.scm leaves out: type aliases, enums, and ambient constants of declaration
; files (`declare const objectType: <Shape>(shape: Shape) => ZodObject<Shape>`), at module level or exported.
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(ambient_declaration (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant))
