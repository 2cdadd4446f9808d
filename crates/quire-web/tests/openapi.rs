#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The OpenAPI document is part of the API contract: any change to it shows
//! up in review as a snapshot diff (`cargo insta review`).

#[test]
fn openapi_document_snapshot() {
    let doc = serde_json::to_value(quire_web::api::openapi()).expect("serialises");
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc);
}
