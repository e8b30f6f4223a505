//! A JSON body extractor whose every failure is a French `{code, message, details}` answer.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use centrale_protocol::codes;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::ApiError;

/// `Json<T>` with the project's error answers.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(explain(rejection)),
        }
    }
}

fn explain(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(e) => ApiError::BadRequest {
            code: codes::INVALID_INPUT,
            message: format!(
                "Les données envoyées n'ont pas la forme attendue : {}",
                clean(&e.body_text())
            ),
            details: json!({}),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
        JsonRejection::JsonSyntaxError(_) => ApiError::malformed(
            "Le contenu envoyé n'est pas du JSON valide. Vérifiez le format de la requête.",
        ),
        JsonRejection::MissingJsonContentType(_) => ApiError::BadRequest {
            code: codes::MALFORMED_REQUEST,
            message: "Indiquez l'en-tête Content-Type: application/json.".into(),
            details: json!({}),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        },
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::BadRequest {
            code: codes::BODY_TOO_LARGE,
            message: format!(
                "La requête est trop volumineuse (au plus {} Mo). Envoyez les modifications en plusieurs fois.",
                centrale_protocol::MAX_BODY_BYTES / (1024 * 1024)
            ),
            details: json!({"max_bytes": centrale_protocol::MAX_BODY_BYTES}),
            status: StatusCode::PAYLOAD_TOO_LARGE,
        },
        other => ApiError::malformed(format!("Requête illisible ({}).", other.status())),
    }
}

/// Keeps the decoder's explanation but drops Rust type paths.
fn clean(text: &str) -> String {
    text.replace(
        "Failed to deserialize the JSON body into the target type: ",
        "",
    )
}
