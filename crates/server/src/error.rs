//! The HTTP error type: one enum, one JSON shape `{protocol_version, code, message, details}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use centrale_domain::ErrorCode;
use centrale_protocol::{codes, ErrorBody, PROTOCOL_VERSION};
use centrale_server_db::DbError;
use serde_json::{json, Value};

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The client must be updated.
    #[error("update needed")]
    UpdateNeeded {
        /// The version the client spoke.
        client_version: u32,
    },
    /// No valid token.
    #[error("unauthorized")]
    Unauthorized,
    /// Wrong credentials.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Disabled account.
    #[error("account disabled")]
    AccountDisabled,
    /// Too many failed logins.
    #[error("too many attempts")]
    TooManyAttempts {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// Every password check is taken: try again shortly.
    #[error("busy")]
    Busy {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// The request cannot be read.
    #[error("{message}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// French message.
        message: String,
        /// Details.
        details: Value,
        /// 400, 413 or 422.
        status: StatusCode,
    },
    /// Not found.
    #[error("not found")]
    NotFound,
    /// Storage failure.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl ApiError {
    /// A 422 with a code, message and details.
    pub fn unprocessable(
        code: &'static str,
        message: impl Into<String>,
        details: Value,
    ) -> ApiError {
        ApiError::BadRequest {
            code,
            message: message.into(),
            details,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// A 422 with a code of the one `ErrorCode` enum: its sentence from the catalogue.
    pub fn coded(code: ErrorCode, details: Value) -> ApiError {
        ApiError::BadRequest {
            code: code.as_str(),
            message: code.message_fr(&details),
            details,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// A refusal of the domain as an HTTP answer with `status`: its code, its French sentence
    /// and its parameters.
    pub fn refused(e: centrale_domain::DomainError, status: StatusCode) -> ApiError {
        ApiError::BadRequest {
            code: e.code().as_str(),
            message: e.to_string(),
            details: e.params(),
            status,
        }
    }

    /// A 400 malformed request.
    pub fn malformed(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            code: codes::MALFORMED_REQUEST,
            message: message.into(),
            details: json!({}),
            status: StatusCode::BAD_REQUEST,
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, String, Value) {
        // The server's own refusals are codes of the one `ErrorCode` enum: their sentence
        // comes from the catalogue like every domain refusal's, from raw parameters.
        let coded = |status: StatusCode, code: ErrorCode, details: Value| {
            (status, code.as_str(), code.message_fr(&details), details)
        };
        match self {
            ApiError::UpdateNeeded { client_version } => coded(
                StatusCode::UPGRADE_REQUIRED,
                ErrorCode::UpdateNeeded,
                json!({"client_version": client_version, "min_protocol_version": centrale_protocol::MIN_PROTOCOL_VERSION, "protocol_version": PROTOCOL_VERSION}),
            ),
            ApiError::Unauthorized => {
                coded(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, json!({}))
            }
            ApiError::InvalidCredentials => coded(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidCredentials,
                json!({}),
            ),
            ApiError::AccountDisabled => {
                coded(StatusCode::FORBIDDEN, ErrorCode::AccountDisabled, json!({}))
            }
            ApiError::TooManyAttempts { retry_after_secs } => coded(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyAttempts,
                json!({"retry_after_secs": retry_after_secs,
                       "retry_after_minutes": (retry_after_secs + 59) / 60}),
            ),
            ApiError::Busy { retry_after_secs } => coded(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceUnavailable,
                json!({"kind": "busy", "retry_after_secs": retry_after_secs}),
            ),
            ApiError::BadRequest {
                code,
                message,
                details,
                status,
            } => (*status, code, message.clone(), details.clone()),
            ApiError::NotFound => coded(StatusCode::NOT_FOUND, ErrorCode::NotFound, json!({})),
            ApiError::Db(e) if e.code() == "db_unavailable" => coded(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceUnavailable,
                json!({"kind": "database"}),
            ),
            ApiError::Db(_) => coded(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::InternalError,
                json!({}),
            ),
        }
    }
}

impl From<crate::login::LoginRefusal> for ApiError {
    fn from(refusal: crate::login::LoginRefusal) -> Self {
        use crate::login::LoginRefusal;
        match refusal {
            LoginRefusal::Invalid => ApiError::InvalidCredentials,
            LoginRefusal::Throttled { retry_after_secs } => {
                ApiError::TooManyAttempts { retry_after_secs }
            }
            LoginRefusal::Busy { retry_after_secs } => ApiError::Busy { retry_after_secs },
            LoginRefusal::Db(e) => ApiError::Db(e),
        }
    }
}

/// Builds the JSON error response.
pub fn error_response(status: StatusCode, code: &str, message: String, details: Value) -> Response {
    let body = ErrorBody {
        protocol_version: PROTOCOL_VERSION,
        code: code.to_string(),
        message,
        details,
    };
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Db(e) = &self {
            tracing::error!(error = %e, code = e.code(), "database error");
        }
        let (status, code, message, details) = self.parts();
        let mut response = error_response(status, code, message, details);
        if let ApiError::TooManyAttempts { retry_after_secs }
        | ApiError::Busy { retry_after_secs } = self
        {
            if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after_secs.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        response
    }
}
