; TypeScript's declarations that its tags.scm leaves out: type aliases, enums, and ambient constants of declaration
; files (`declare const objectType: <Shape>(shape: Shape) => ZodObject<Shape>`), at module level or exported.
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(ambient_declaration (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant))
; Namespaces (`declare namespace Dispatcher { export interface DispatchHandler ... }`), class fields and interface
; properties: members a call reaches through a value's type (`readonly get: (name: string) => string`,
; `static create = (issues) => ...`). tags.ts makes a field whose type or value is a function a method.
(internal_module name: (identifier) @name) @definition.module
(public_field_definition name: (_) @name) @definition.field
(interface_body (property_signature name: (_) @name) @definition.field)
(type_alias_declaration value: (object_type (property_signature name: (_) @name) @definition.field))
