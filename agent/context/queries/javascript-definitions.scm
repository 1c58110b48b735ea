; Module-level variables and constants, which the grammar's tags.scm leaves out unless their value is a function:
; `export const router = createRouter()`, `const objectType = ZodObject.create` (re-exported under another name).
(program (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(program (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant)))
(program (export_statement declaration: (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant)))
