//! Checks for the spec shapes that make progenitor 0.15 panic or generate code that does not
//! compile or whose doctests fail. They run on the untyped JSON document, before openapiv3
//! parses it, so that each problem is reported with the operation it is in and the fix.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One problem found in the spec: where it is and what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// The operation (`postTokenPaymentCredentials (POST /tms/...)`) or JSON pointer.
    pub location: String,
    /// The problem and how to fix it.
    pub message: String,
}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Returns every problem found in `document`; an empty list means progenitor can compile it.
pub fn check_spec(document: &Value) -> Vec<SpecProblem> {
    let mut problems = Vec::new();
    check_version(document, &mut problems);
    check_operations(document, &mut problems);
    check_descriptions(document, String::new(), &mut problems);
    problems
}

fn problem(location: impl Into<String>, message: impl Into<String>) -> SpecProblem {
    SpecProblem {
        location: location.into(),
        message: message.into(),
    }
}

fn check_version(document: &Value, problems: &mut Vec<SpecProblem>) {
    match document.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => problems.push(problem(
            "/openapi",
            format!(
                "OpenAPI version {version} is not supported because progenitor reads 3.0.x only; \
                 set \"openapi\": \"3.0.3\" and use 3.0 syntax"
            ),
        )),
        None => problems.push(problem(
            "/openapi",
            "the document has no \"openapi\" version (Swagger 2.0 is not supported); \
             convert it to OpenAPI 3.0.3",
        )),
    }
}

fn check_operations(document: &Value, problems: &mut Vec<SpecProblem>) {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        problems.push(problem(
            "/paths",
            "the document has no paths; add the operations",
        ));
        return;
    };

    for (path, item) in paths {
        if item.get("$ref").is_some() {
            problems.push(problem(
                format!("path {path}"),
                "path items given as $ref are not supported by progenitor; \
                 write the operations inline",
            ));
            continue;
        }
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let location = match operation.get("operationId").and_then(Value::as_str) {
                Some(id) => format!("{id} ({} {path})", method.to_uppercase()),
                None => {
                    problems.push(problem(
                        format!("{} {path}", method.to_uppercase()),
                        "the operation has no operationId; add a unique operationId, \
                         which names the generated method",
                    ));
                    format!("{} {path}", method.to_uppercase())
                }
            };
            check_request_body(document, operation, &location, problems);
            check_responses(document, operation, &location, problems);
        }
    }
}

fn check_request_body(
    document: &Value,
    operation: &Value,
    location: &str,
    problems: &mut Vec<SpecProblem>,
) {
    let Some(body) = operation.get("requestBody") else {
        return;
    };
    let body = resolve(document, body);
    let count = body
        .get("content")
        .and_then(Value::as_object)
        .map_or(0, |content| content.len());
    if count > 1 {
        problems.push(problem(
            location,
            format!(
                "the request body has {count} media types but progenitor supports exactly one; \
                 keep one (application/json;charset=utf-8)"
            ),
        ));
    }
}

fn check_responses(
    document: &Value,
    operation: &Value,
    location: &str,
    problems: &mut Vec<SpecProblem>,
) {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return;
    };

    let mut success_types = BTreeSet::new();
    let mut error_types = BTreeSet::new();
    for (status, response) in responses {
        let response = resolve(document, response);
        let content = response.get("content").and_then(Value::as_object);
        if content.is_some_and(|content| content.len() > 1) {
            problems.push(problem(
                location,
                format!(
                    "response {status} lists several media types, and progenitor silently picks \
                     one of them; keep exactly one"
                ),
            ));
        }
        if let Some(content) = content
            && let Some((media_type, _)) = content
                .iter()
                .find(|(media_type, media)| is_json(media_type) && media.get("schema").is_none())
        {
            problems.push(problem(
                location,
                format!(
                    "response {status} has media type {media_type} without a schema, which \
                     progenitor cannot generate; add a schema"
                ),
            ));
        }
        let body_type = body_type(content);
        // progenitor treats `default` both as a success and as an error response.
        if status.starts_with('2') || status == "default" {
            success_types.insert(body_type.clone());
        }
        if !status.starts_with('2') {
            error_types.insert(body_type);
        }
    }

    for (kind, types) in [("success", success_types), ("error", error_types)] {
        if types.len() > 1 {
            problems.push(problem(
                location,
                format!(
                    "the {kind} responses have {} different body types ({}), but progenitor \
                     allows one per operation; make every {kind} response a $ref to one shared \
                     response component",
                    types.len(),
                    types.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
}

/// Names the Rust type progenitor would generate for a response body, closely enough to tell
/// two different ones apart. progenitor 0.15 types only `application/json` (with or without
/// parameters) as JSON; `application/problem+json` and the like are raw bytes to it.
fn body_type(content: Option<&serde_json::Map<String, Value>>) -> String {
    let Some((media_type, media)) = content.and_then(|content| content.iter().next()) else {
        return "no body".to_string();
    };
    if is_json(media_type) {
        let schema = media.get("schema").cloned().unwrap_or(Value::Null);
        format!("JSON {schema}")
    } else {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        format!("raw {essence}")
    }
}

fn is_json(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or_default().trim() == "application/json"
}

/// Follows a local `$ref` such as `#/components/responses/Error`; anything else is returned
/// unchanged.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
        return value;
    };
    reference
        .strip_prefix('#')
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(value)
}

/// Rejects code blocks in descriptions: progenitor copies descriptions into doc comments,
/// where rustdoc compiles a code block as a doctest that fails.
fn check_descriptions(value: &Value, pointer: String, problems: &mut Vec<SpecProblem>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer =
                    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                if matches!(key.as_str(), "description" | "summary")
                    && let Some(text) = child.as_str()
                    && has_code_block(text)
                {
                    problems.push(problem(
                        child_pointer.clone(),
                        "the text contains a code block (``` or ~~~ fence, or an indented \
                         block), which becomes a failing doctest of the generated client; \
                         describe it in prose or indent it by fewer than four spaces",
                    ));
                }
                check_descriptions(child, child_pointer, problems);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_descriptions(child, format!("{pointer}/{index}"), problems);
            }
        }
        _ => {}
    }
}

fn has_code_block(text: &str) -> bool {
    if text.contains("```") || text.contains("~~~") {
        return true;
    }
    let mut previous_blank = true;
    for line in text.lines() {
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && previous_blank && !line.trim().is_empty() {
            return true;
        }
        previous_blank = line.trim().is_empty();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn operation_doc(operation: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things/{id}": {"post": operation}},
            "components": {"responses": {
                "Error": {"description": "e", "content": {"application/json": {"schema": {"type": "object"}}}}
            }}
        })
    }

    fn messages(document: &Value) -> Vec<String> {
        check_spec(document)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn valid_operation_passes() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "requestBody": {"content": {"application/json;charset=utf-8": {"schema": {"type": "object"}}}},
            "responses": {
                "201": {"description": "c", "content": {"application/jose": {"schema": {"type": "string"}}}},
                "400": {"$ref": "#/components/responses/Error"},
                "500": {"$ref": "#/components/responses/Error"}
            }
        }));

        assert_eq!(messages(&document), Vec::<String>::new());
    }

    #[test]
    fn version_3_1_rejected() {
        let mut document = operation_doc(json!({"operationId": "a", "responses": {}}));
        document["openapi"] = json!("3.1.0");

        let found = messages(&document);

        assert_eq!(found.len(), 1);
        assert!(found[0].contains("3.1.0"), "{found:?}");
        assert!(found[0].contains("3.0.3"), "{found:?}");
    }

    #[test]
    fn swagger_2_rejected() {
        let document = json!({"swagger": "2.0", "paths": {}});

        let found = messages(&document);

        assert!(found.iter().any(|m| m.contains("Swagger 2.0")), "{found:?}");
    }

    #[test]
    fn missing_operation_id_names_path() {
        let document = operation_doc(json!({"responses": {}}));

        let found = messages(&document);

        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("POST /things/{id}"), "{found:?}");
        assert!(found[0].contains("operationId"), "{found:?}");
    }

    #[test]
    fn two_request_media_types_rejected() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "requestBody": {"content": {
                "application/json": {"schema": {"type": "object"}},
                "application/json;charset=utf-8": {"schema": {"type": "object"}}
            }},
            "responses": {}
        }));

        let found = messages(&document);

        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("postThing (POST /things/{id})"),
            "{found:?}"
        );
        assert!(found[0].contains("2 media types"), "{found:?}");
    }

    #[test]
    fn different_error_schemas_rejected() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "responses": {
                "400": {"$ref": "#/components/responses/Error"},
                "401": {"description": "u", "content": {"application/json": {"schema": {"type": "string"}}}}
            }
        }));

        let found = messages(&document);

        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("error responses have 2 different body types"),
            "{found:?}"
        );
    }

    #[test]
    fn bodiless_error_beside_json_rejected() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "responses": {
                "400": {"$ref": "#/components/responses/Error"},
                "404": {"description": "not found"}
            }
        }));

        let found = messages(&document);

        assert_eq!(found.len(), 1);
        assert!(found[0].contains("no body"), "{found:?}");
    }

    #[test]
    fn json_default_beside_jose_success_rejected() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "responses": {
                "201": {"description": "c", "content": {"application/jose": {"schema": {"type": "string"}}}},
                "default": {"$ref": "#/components/responses/Error"}
            }
        }));

        let found = messages(&document);

        assert_eq!(found.len(), 1);
        assert!(found[0].contains("success responses"), "{found:?}");
    }

    #[test]
    fn several_response_media_types_rejected() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "responses": {
                "201": {"description": "c", "content": {
                    "application/jose": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}}
                }}
            }
        }));

        let found = messages(&document);

        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("response 201 lists several media types"),
            "{found:?}"
        );
    }

    #[test]
    fn problem_json_beside_json_error_rejected() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "responses": {
                "400": {"$ref": "#/components/responses/Error"},
                "404": {"description": "n", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
            }
        }));

        let found = messages(&document);

        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("raw application/problem+json"),
            "{found:?}"
        );
    }

    #[test]
    fn json_without_schema_rejected() {
        let document = operation_doc(json!({
            "operationId": "postThing",
            "responses": {
                "400": {"description": "e", "content": {"application/json": {}}}
            }
        }));

        let found = messages(&document);

        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("without a schema"), "{found:?}");
    }

    #[test]
    fn code_blocks_in_descriptions_rejected() {
        for text in [
            "Example:\n```\nlet x = 1;\n```",
            "Example:\n~~~\nx\n~~~",
            "Example:\n\n    let x = 1;",
            "    starts indented",
        ] {
            let mut document = operation_doc(json!({"operationId": "a", "responses": {}}));
            document["info"]["description"] = json!(text);

            let found = messages(&document);

            assert_eq!(found.len(), 1, "{text:?}");
            assert!(found[0].starts_with("/info/description"), "{found:?}");
        }
    }

    #[test]
    fn list_continuation_is_not_code() {
        let mut document = operation_doc(json!({"operationId": "a", "responses": {}}));
        document["info"]["description"] = json!("- item\n    continued");

        assert_eq!(messages(&document), Vec::<String>::new());
    }

    #[test]
    fn project_spec_passes() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(crate::SPEC_PATH);
        let text = std::fs::read_to_string(path).expect("spec is readable");
        let document: Value = serde_json::from_str(&text).expect("spec is JSON");

        assert_eq!(messages(&document), Vec::<String>::new());
    }
}
