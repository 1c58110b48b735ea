; Conventions query for Rust. See extract/rust.ts.

[(array_expression) (field_initializer_list) (field_declaration_list) (enum_variant_list)] @list
[(arguments) (parameters)] @call-list

(function_item name: (identifier) @name.function)
[
  (struct_item name: (type_identifier) @name.type)
  (enum_item name: (type_identifier) @name.type)
  (trait_item name: (type_identifier) @name.type)
  (type_item name: (type_identifier) @name.type)
]
[
  (const_item name: (identifier) @name.constant)
  (static_item name: (identifier) @name.constant)
]
(let_declaration pattern: (identifier) @name.variable)

[(function_item) (struct_item) (enum_item) (trait_item)] @documentable
(use_declaration) @import
(mod_item name: (identifier) @mod)
(call_expression function: [(identifier) (scoped_identifier)] @callee)
(call_expression function: (field_expression field: (field_identifier) @method))
(macro_invocation macro: [(identifier) (scoped_identifier)] @macro)
(try_expression) @propagate
(attribute_item) @attribute
[(line_comment) (block_comment)] @comment
