use serde::Serialize;
use utoipa::ToSchema;

/// De dienst draait.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "versie": "1.0.0-alpha.1"}))]
pub struct Gezondheid {
    /// Altijd `ok` als er antwoord komt.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// De versie van de API.
    pub versie: &'static str,
}

/// De dienst kan verzoeken verwerken: de database is bereikbaar en de migraties zijn actueel.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "bereikbaar", "migraties": "actueel"}))]
pub struct Gereedheid {
    #[schema(example = "ok")]
    pub status: &'static str,
    #[schema(example = "bereikbaar")]
    pub database: &'static str,
    #[schema(example = "actueel")]
    pub migraties: &'static str,
}
