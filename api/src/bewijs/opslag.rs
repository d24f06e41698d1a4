//! Where the files live: a local folder (development, one server) or S3-compatible object
//! storage (production), both behind `object_store`'s one interface. The database holds only
//! the server-generated key; the parent's file name never reaches a path.

use std::sync::Arc;

use actix_web::web::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

use crate::config::BewijsSettings;

#[derive(Clone)]
pub struct Opslag {
    store: Arc<dyn ObjectStore>,
}

impl Opslag {
    pub fn from_settings(settings: &BewijsSettings) -> anyhow::Result<Opslag> {
        let store: Arc<dyn ObjectStore> = match settings.opslag.as_str() {
            "s3" => {
                let s3 = &settings.s3;
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region);
                if !s3.endpoint.is_empty() {
                    builder = builder
                        .with_endpoint(&s3.endpoint)
                        .with_allow_http(s3.endpoint.starts_with("http://"));
                }
                if !s3.access_key_id.is_empty() {
                    builder = builder
                        .with_access_key_id(&s3.access_key_id)
                        .with_secret_access_key(&s3.secret_access_key);
                }
                Arc::new(builder.build()?)
            }
            _ => {
                std::fs::create_dir_all(&settings.map).map_err(|e| {
                    anyhow::anyhow!("bewijs.map {} kan niet worden gemaakt: {e}", settings.map)
                })?;
                Arc::new(LocalFileSystem::new_with_prefix(&settings.map)?)
            }
        };
        Ok(Opslag { store })
    }

    pub async fn bewaar(&self, sleutel: &str, inhoud: Bytes) -> anyhow::Result<()> {
        self.store
            .put(&Path::from(sleutel), PutPayload::from(inhoud))
            .await?;
        Ok(())
    }

    pub async fn lees(&self, sleutel: &str) -> anyhow::Result<Bytes> {
        Ok(self.store.get(&Path::from(sleutel)).await?.bytes().await?)
    }

    /// Removing what is already gone is fine (a retried delete).
    pub async fn verwijder(&self, sleutel: &str) -> anyhow::Result<()> {
        match self.store.delete(&Path::from(sleutel)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
