//! Staff accounts: user names, password policy, roles and permissions.

use crate::error::{FieldError, Invalid, optional_text, text};
use crate::org::optional_email;

/// A staff login name: 3–64 characters of lower-case ASCII letters, digits,
/// `.`, `_` and `-`, starting with a letter or digit. Normalised to lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim().to_ascii_lowercase();
        if t.is_empty() {
            return Err(FieldError::new("username", "required"));
        }
        if t.len() < 3 {
            return Err(FieldError::new("username", "too-short").with_arg(3));
        }
        if t.len() > 64 {
            return Err(FieldError::new("username", "too-long").with_arg(64));
        }
        let first_ok = t.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
        let all_ok = t.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
        if !first_ok || !all_ok {
            return Err(FieldError::new("username", "username-characters"));
        }
        Ok(Username(t))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Minimum password length for staff accounts.
pub const MIN_PASSWORD_LEN: usize = 10;

/// A password that meets the policy (length only, per NIST SP 800-63B: long
/// passphrases beat composition rules). Never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(
        field: &'static str,
        raw: &str,
        username: Option<&str>,
    ) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n == 0 {
            return Err(FieldError::new(field, "required"));
        }
        if n < MIN_PASSWORD_LEN {
            return Err(FieldError::new(field, "password-too-short").with_arg(MIN_PASSWORD_LEN));
        }
        if n > 256 {
            return Err(FieldError::new(field, "too-long").with_arg(256));
        }
        if username.is_some_and(|u| raw.to_ascii_lowercase().contains(&u.to_ascii_lowercase())) {
            return Err(FieldError::new(field, "password-contains-username"));
        }
        Ok(NewPassword(raw.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A staff role. A user has one or more; permissions are the union.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Admin,
    Cataloger,
    Circulation,
    Volunteer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Cataloger,
        Role::Circulation,
        Role::Volunteer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Cataloger => "cataloger",
            Role::Circulation => "circulation",
            Role::Volunteer => "volunteer",
        }
    }

    pub fn parse(raw: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim().to_ascii_lowercase())
            .ok_or_else(|| FieldError::new("roles", "invalid-choice"))
    }

    /// What this role may do. The single source of truth for authorisation.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => &Permission::ALL,
            Role::Cataloger => &[
                StaffArea,
                ViewCatalog,
                EditCatalog,
                ImportRecords,
                ViewItems,
                EditItems,
                ViewPatrons,
            ],
            Role::Circulation => &[
                StaffArea,
                ViewCatalog,
                ViewItems,
                ViewPatrons,
                EditPatrons,
                Circulate,
                ManageHolds,
                HandleFees,
            ],
            Role::Volunteer => &[StaffArea, ViewCatalog, ViewItems, Reshelve],
        }
    }
}

/// A single permission checked by the service layer (and mirrored by page
/// guards in the web adapter).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    /// Log in to the staff interface at all.
    StaffArea,
    ViewCatalog,
    EditCatalog,
    ImportRecords,
    ViewItems,
    EditItems,
    Reshelve,
    ViewPatrons,
    EditPatrons,
    Circulate,
    OverrideCirculation,
    ManageHolds,
    HandleFees,
    WaiveFees,
    ManageStaff,
    ManageBranches,
    ManagePolicies,
    ManageApiTokens,
    ViewAudit,
    Backup,
}

impl Permission {
    pub const ALL: [Permission; 20] = [
        Permission::StaffArea,
        Permission::ViewCatalog,
        Permission::EditCatalog,
        Permission::ImportRecords,
        Permission::ViewItems,
        Permission::EditItems,
        Permission::Reshelve,
        Permission::ViewPatrons,
        Permission::EditPatrons,
        Permission::Circulate,
        Permission::OverrideCirculation,
        Permission::ManageHolds,
        Permission::HandleFees,
        Permission::WaiveFees,
        Permission::ManageStaff,
        Permission::ManageBranches,
        Permission::ManagePolicies,
        Permission::ManageApiTokens,
        Permission::ViewAudit,
        Permission::Backup,
    ];

    pub fn as_str(self) -> &'static str {
        use Permission::*;
        match self {
            StaffArea => "staff-area",
            ViewCatalog => "view-catalog",
            EditCatalog => "edit-catalog",
            ImportRecords => "import-records",
            ViewItems => "view-items",
            EditItems => "edit-items",
            Reshelve => "reshelve",
            ViewPatrons => "view-patrons",
            EditPatrons => "edit-patrons",
            Circulate => "circulate",
            OverrideCirculation => "override-circulation",
            ManageHolds => "manage-holds",
            HandleFees => "handle-fees",
            WaiveFees => "waive-fees",
            ManageStaff => "manage-staff",
            ManageBranches => "manage-branches",
            ManagePolicies => "manage-policies",
            ManageApiTokens => "manage-api-tokens",
            ViewAudit => "view-audit",
            Backup => "backup",
        }
    }
}

/// The union of the permissions of a set of roles.
pub fn permissions_of(roles: &[Role]) -> Vec<Permission> {
    let mut v: Vec<Permission> = roles
        .iter()
        .flat_map(|r| r.permissions().iter().copied())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Parses a list of role names (from a form's checkboxes or a CLI flag);
/// at least one role is required.
pub fn parse_roles(raw: &[String]) -> Result<Vec<Role>, FieldError> {
    let mut roles = Vec::new();
    for r in raw {
        for part in r.split(',').filter(|p| !p.trim().is_empty()) {
            roles.push(Role::parse(part)?);
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(FieldError::new("roles", "required"));
    }
    Ok(roles)
}

/// A validated new staff account.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: Username,
    pub display_name: String,
    pub email: Option<String>,
    pub roles: Vec<Role>,
    pub password: NewPassword,
}

/// Raw fields of the "new staff user" form / API body.
#[derive(Debug, Clone, Default)]
pub struct NewStaffForm {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub password: String,
}

impl NewStaffForm {
    pub fn parse(&self) -> Result<NewStaff, Invalid> {
        let mut inv = Invalid::default();
        let username = inv.check(Username::parse(&self.username));
        let display_name = inv.check(text("display_name", &self.display_name, 1, 120));
        let email = inv.check(optional_email("email", &self.email));
        let roles = inv.check(parse_roles(&self.roles));
        let password = inv.check(NewPassword::parse(
            "password",
            &self.password,
            username.as_ref().map(Username::as_str),
        ));
        match (username, display_name, email, roles, password) {
            (Some(username), Some(display_name), Some(email), Some(roles), Some(password)) => {
                Ok(NewStaff {
                    username,
                    display_name,
                    email,
                    roles,
                    password,
                })
            }
            _ => Err(inv),
        }
    }
}

/// Parses an optional free-text note (shared helper for forms).
pub fn note(raw: &str) -> Result<Option<String>, FieldError> {
    optional_text("note", raw, 2000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Ana.Cruz ").unwrap().as_str(), "ana.cruz");
        assert_eq!(Username::parse("ab").unwrap_err().code, "too-short");
        assert_eq!(
            Username::parse("-ana").unwrap_err().code,
            "username-characters"
        );
        assert_eq!(
            Username::parse("ana cruz").unwrap_err().code,
            "username-characters"
        );
        assert_eq!(
            Username::parse("nguyễn").unwrap_err().code,
            "username-characters"
        );
    }

    #[test]
    fn password_policy() {
        assert_eq!(
            NewPassword::parse("password", "short", None)
                .unwrap_err()
                .code,
            "password-too-short"
        );
        assert_eq!(
            NewPassword::parse("password", "xxanacruzxx", Some("anacruz"))
                .unwrap_err()
                .code,
            "password-contains-username"
        );
        assert!(NewPassword::parse("password", "correct horse battery", Some("ana")).is_ok());
        assert_eq!(
            format!(
                "{:?}",
                NewPassword::parse("p", "correct horse", None).unwrap()
            ),
            "NewPassword(***)"
        );
    }

    #[test]
    fn volunteers_cannot_administer() {
        let v = permissions_of(&[Role::Volunteer]);
        assert!(!v.contains(&Permission::ManageStaff));
        assert!(!v.contains(&Permission::Circulate));
        assert!(v.contains(&Permission::StaffArea));
        let admin = permissions_of(&[Role::Admin]);
        assert_eq!(admin.len(), Permission::ALL.len());
        let both = permissions_of(&[Role::Cataloger, Role::Circulation]);
        assert!(both.contains(&Permission::EditCatalog) && both.contains(&Permission::Circulate));
        assert!(!both.contains(&Permission::ManageStaff));
    }

    #[test]
    fn permission_names_are_unique() {
        let mut names: Vec<_> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Permission::ALL.len());
    }

    #[test]
    fn roles_parse() {
        assert_eq!(
            parse_roles(&["cataloger,circulation".into(), "cataloger".into()]).unwrap(),
            vec![Role::Cataloger, Role::Circulation]
        );
        assert_eq!(parse_roles(&[]).unwrap_err().code, "required");
        assert_eq!(
            parse_roles(&["wizard".into()]).unwrap_err().code,
            "invalid-choice"
        );
    }

    #[test]
    fn staff_form_collects_errors() {
        let err = NewStaffForm {
            username: "a".into(),
            display_name: "".into(),
            email: "x".into(),
            roles: vec![],
            password: "pw".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["username", "display_name", "email", "roles", "password"]
        );
    }

    proptest! {
        #[test]
        fn username_parse_never_panics_and_is_idempotent(s in ".*") {
            if let Ok(u) = Username::parse(&s) {
                prop_assert_eq!(Username::parse(u.as_str()).unwrap(), u);
            }
        }
    }
}
