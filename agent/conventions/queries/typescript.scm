; TypeScript's additions to javascript.scm: type declarations and parameter annotations.

(interface_declaration name: (type_identifier) @name.type)
(type_alias_declaration name: (type_identifier) @name.type)
(enum_declaration name: (identifier) @name.type)
(abstract_class_declaration name: (type_identifier) @name.class)
(type_alias_declaration) @statement
[(required_parameter) (optional_parameter)] @param
