; Conventions query for Go. gofmt fixes layout, so only names, imports, calls and comments are read.
; See extract/go.ts.

(function_declaration name: (identifier) @name.function)
(method_declaration name: (field_identifier) @name.method)
(type_spec name: (type_identifier) @name.type)
(const_spec name: (identifier) @name.constant)
(var_spec name: (identifier) @name.variable)
(short_var_declaration left: (expression_list (identifier) @name.variable))

[(function_declaration) (method_declaration) (type_declaration)] @documentable
(import_spec) @import
(call_expression function: [(identifier) (selector_expression)] @callee)
(comment) @comment
