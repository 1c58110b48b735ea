; Conventions query for Java. See extract/java.ts.

[
  (class_declaration name: (identifier) @name.class)
  (interface_declaration name: (identifier) @name.class)
  (enum_declaration name: (identifier) @name.class)
  (record_declaration name: (identifier) @name.class)
]
(method_declaration name: (identifier) @name.method)
(field_declaration) @field
(local_variable_declaration declarator: (variable_declarator name: (identifier) @name.variable))

[(method_declaration) (constructor_declaration) (lambda_expression)] @function
[(class_declaration) (interface_declaration) (enum_declaration) (record_declaration) (method_declaration)] @documentable
[(try_statement) (try_with_resources_statement)] @try
(catch_clause) @catch
(throw_statement) @throw
(import_declaration) @import
(method_invocation) @invocation
(object_creation_expression type: (_) @new)
[(line_comment) (block_comment)] @comment
