; Conventions query for Python. Each capture name is a role the extractor reads; see extract/python.ts.

(string) @string

[(list) (dictionary) (set) (tuple)] @list
[(argument_list) (parameters)] @call-list

(function_definition name: (identifier) @name.function)
(class_definition name: (identifier) @name.class)
(expression_statement (assignment left: (identifier) @name.variable))

(function_definition) @function
(class_definition) @class
(try_statement) @try
(except_clause) @catch
(raise_statement) @throw
[(import_statement) (import_from_statement)] @import
(call function: [(identifier) (attribute)] @callee)
(comment) @comment
