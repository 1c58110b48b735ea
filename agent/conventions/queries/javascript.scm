; Conventions query for JavaScript, TypeScript and TSX (typescript.scm adds TypeScript's own nodes).
; Each capture name is a role the extractor reads; see extract/javascript.ts.

(string) @string

; Statements that end with a semicolon, or do not.
[
  (expression_statement)
  (lexical_declaration)
  (variable_declaration)
  (return_statement)
  (throw_statement)
  (break_statement)
  (continue_statement)
  (import_statement)
  (debugger_statement)
] @statement

; Bracketed lists that may end with a trailing comma when they span lines.
[(array) (object) (named_imports) (object_pattern) (array_pattern) (export_clause)] @list
[(arguments) (formal_parameters)] @call-list

(function_declaration name: (identifier) @name.function)
(generator_function_declaration name: (identifier) @name.function)
(class_declaration name: (_) @name.class)
(method_definition name: (property_identifier) @name.method)
(variable_declarator name: (identifier) @name.variable)

[
  (function_declaration)
  (generator_function_declaration)
  (function_expression)
  (arrow_function)
  (method_definition)
] @function

(try_statement) @try
(catch_clause) @catch
(throw_statement) @throw
(import_statement) @import
(call_expression function: [(identifier) (member_expression)] @callee)
(new_expression constructor: [(identifier) (member_expression)] @callee)
(comment) @comment
