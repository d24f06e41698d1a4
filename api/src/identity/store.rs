//! Persons in the database. The only place that touches the `persoon` table.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{DatabaseConnection, PaginatorTrait};

use super::bsn::Bsn;
use super::persona::{Persona, Soort};
use super::vault::{BsnVault, Sealed};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "persoon")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub soort: String,
        pub naam: String,
        pub bsn_versleuteld: Option<Vec<u8>>,
        pub bsn_sleutel_id: Option<String>,
        pub bsn_index: Option<String>,
        pub externe_sleutel: Option<String>,
        pub registratienummer: Option<String>,
        pub rollen: Option<String>,
        pub email: Option<String>,
        pub aangemaakt_op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{Column, Entity};

/// A person as the rest of the code sees them: no ciphertext, no index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persoon {
    pub id: Uuid,
    pub soort: Soort,
    pub naam: String,
    pub registratienummer: Option<String>,
    pub rollen: Vec<String>,
    pub email: Option<String>,
}

impl From<entity::Model> for Persoon {
    fn from(m: entity::Model) -> Self {
        Persoon {
            id: m.id.parse().unwrap_or_default(),
            soort: Soort::parse(&m.soort).unwrap_or(Soort::Ouder),
            naam: m.naam,
            registratienummer: m.registratienummer,
            rollen: m
                .rollen
                .map(|r| {
                    r.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            email: m.email,
        }
    }
}

/// `<provider>:<subject>`: lawyers and staff are found by who their IdP says they are.
pub fn external_key(provider: &str, subject: &str) -> String {
    format!("{provider}:{subject}")
}

pub async fn count(db: &DatabaseConnection) -> Result<u64, DbErr> {
    Entity::find().count(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Persoon>, DbErr> {
    Ok(Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(Persoon::from))
}

pub async fn find_by_bsn(
    db: &impl ConnectionTrait,
    vault: &BsnVault,
    bsn: &Bsn,
) -> Result<Option<Persoon>, DbErr> {
    Ok(Entity::find()
        .filter(Column::BsnIndex.eq(vault.blind_index(bsn)))
        .one(db)
        .await?
        .map(Persoon::from))
}

pub async fn find_by_external(
    db: &impl ConnectionTrait,
    provider: &str,
    subject: &str,
) -> Result<Option<Persoon>, DbErr> {
    Ok(Entity::find()
        .filter(Column::ExterneSleutel.eq(external_key(provider, subject)))
        .one(db)
        .await?
        .map(Persoon::from))
}

/// A person's profile, with their BSN only when they are a parent looking at themself (the
/// caller shows it masked). Takes the authorisation handle: no decision, no data.
pub async fn profiel(
    db: &impl ConnectionTrait,
    vault: &BsnVault,
    toegang: &super::toegang::Toegang,
) -> Result<(Persoon, Option<Bsn>), DbErr> {
    let id = toegang.ouder();
    let persoon = find(db, id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("persoon {id}")))?;
    let bsn = if persoon.soort == Soort::Ouder {
        bsn_of(db, vault, id).await?
    } else {
        None
    };
    Ok((persoon, bsn))
}

/// The parent's own BSN, decrypted (for showing it masked to themself).
pub async fn bsn_of(
    db: &impl ConnectionTrait,
    vault: &BsnVault,
    id: Uuid,
) -> Result<Option<Bsn>, DbErr> {
    let Some(row) = Entity::find_by_id(id.to_string()).one(db).await? else {
        return Ok(None);
    };
    match (row.bsn_versleuteld, row.bsn_sleutel_id) {
        (Some(bytes), Some(key_id)) => vault
            .open(&Sealed { key_id, bytes }, &row.id)
            .map(Some)
            .map_err(|e| {
                DbErr::Custom(format!(
                    "BSN van persoon {} niet te ontsleutelen: {e}",
                    row.id
                ))
            }),
        _ => Ok(None),
    }
}

/// Staff roles as the staff IdP last said them.
pub async fn update_rollen(
    db: &impl ConnectionTrait,
    id: Uuid,
    rollen: &[String],
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::Rollen,
            Expr::value((!rollen.is_empty()).then(|| rollen.join(","))),
        )
        .filter(Column::Id.eq(id.to_string()))
        .exec(db)
        .await?;
    Ok(())
}

/// What a new person row needs.
pub struct NewPersoon<'a> {
    pub id: Uuid,
    pub soort: Soort,
    pub naam: &'a str,
    pub bsn: Option<&'a Bsn>,
    pub external: Option<(&'a str, &'a str)>,
    pub registratienummer: Option<&'a str>,
    pub rollen: &'a [String],
    pub email: Option<&'a str>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vault: &BsnVault,
    new: NewPersoon<'_>,
) -> Result<Persoon, DbErr> {
    let id = new.id.to_string();
    let sealed = new.bsn.map(|b| vault.seal(b, &id));
    let row = entity::ActiveModel {
        id: Set(id.clone()),
        soort: Set(new.soort.as_str().to_string()),
        naam: Set(new.naam.to_string()),
        bsn_versleuteld: Set(sealed.as_ref().map(|s| s.bytes.clone())),
        bsn_sleutel_id: Set(sealed.as_ref().map(|s| s.key_id.clone())),
        bsn_index: Set(new.bsn.map(|b| vault.blind_index(b))),
        externe_sleutel: Set(new.external.map(|(p, s)| external_key(p, s))),
        registratienummer: Set(new.registratienummer.map(str::to_string)),
        rollen: Set((!new.rollen.is_empty()).then(|| new.rollen.join(","))),
        email: Set(new.email.map(str::to_string)),
        aangemaakt_op: Set(chrono::Utc::now().timestamp_millis()),
    };
    Ok(row.insert(db).await?.into())
}

/// Creates a test person unless they exist; true when created.
pub async fn ensure_persona(
    db: &impl ConnectionTrait,
    vault: &BsnVault,
    persona: &Persona,
    provider: &str,
) -> Result<bool, DbErr> {
    let id: Uuid = persona.id.parse().expect("persona-id is een UUID");
    if Entity::find_by_id(persona.id.to_string())
        .one(db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let bsn = persona
        .bsn
        .map(|b| Bsn::parse(b).expect("test-BSN is geldig"));
    let rollen: Vec<String> = persona.rollen.iter().map(|r| String::from(*r)).collect();
    insert(
        db,
        vault,
        NewPersoon {
            id,
            soort: persona.soort,
            naam: persona.naam,
            bsn: bsn.as_ref(),
            external: persona.subject.map(|s| (provider, s)),
            registratienummer: persona.registratienummer,
            rollen: &rollen,
            email: Some(persona.email),
        },
    )
    .await?;
    Ok(true)
}
