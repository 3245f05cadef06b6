//! Admin SDK Directory API, under `/admin/directory/v1`: the parts resellers use.

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

mod customers;
mod groups;
mod orgunits;
mod roles;
mod users;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/directory/v1/customers/{customer_key}",
            get(customers::get)
                .patch(customers::patch)
                .put(customers::update),
        )
        .route(
            "/admin/directory/v1/users",
            post(users::insert).get(users::list),
        )
        .route(
            "/admin/directory/v1/users/{user_key}",
            get(users::get)
                .patch(users::patch)
                .put(users::update)
                .delete(users::delete),
        )
        .route(
            "/admin/directory/v1/users/{user_key}/makeAdmin",
            post(users::make_admin),
        )
        .route(
            "/admin/directory/v1/users/{user_key}/undelete",
            post(users::undelete),
        )
        .route(
            "/admin/directory/v1/users/{user_key}/aliases",
            get(users::list_aliases).post(users::insert_alias),
        )
        .route(
            "/admin/directory/v1/users/{user_key}/aliases/{alias}",
            axum::routing::delete(users::delete_alias),
        )
        .route(
            "/admin/directory/v1/groups",
            post(groups::insert).get(groups::list),
        )
        .route(
            "/admin/directory/v1/groups/{group_key}",
            get(groups::get)
                .patch(groups::patch)
                .put(groups::update)
                .delete(groups::delete),
        )
        .route(
            "/admin/directory/v1/groups/{group_key}/members",
            post(groups::insert_member).get(groups::list_members),
        )
        .route(
            "/admin/directory/v1/groups/{group_key}/members/{member_key}",
            get(groups::get_member)
                .patch(groups::patch_member)
                .put(groups::patch_member)
                .delete(groups::delete_member),
        )
        .route(
            "/admin/directory/v1/groups/{group_key}/hasMember/{member_key}",
            get(groups::has_member),
        )
        .route(
            "/admin/directory/v1/customer/{customer}/roles/ALL/privileges",
            get(roles::privileges),
        )
        .route(
            "/admin/directory/v1/customer/{customer}/roles",
            get(roles::list_roles).post(roles::insert_role),
        )
        .route(
            "/admin/directory/v1/customer/{customer}/roles/{role_id}",
            get(roles::get_role)
                .patch(roles::patch_role)
                .put(roles::patch_role)
                .delete(roles::delete_role),
        )
        .route(
            "/admin/directory/v1/customer/{customer}/roleassignments",
            get(roles::list_assignments).post(roles::insert_assignment),
        )
        .route(
            "/admin/directory/v1/customer/{customer}/roleassignments/{id}",
            get(roles::get_assignment).delete(roles::delete_assignment),
        )
        .route(
            "/admin/directory/v1/customer/{customer}/orgunits",
            get(orgunits::list).post(orgunits::insert),
        )
        .route(
            "/admin/directory/v1/customer/{customer}/orgunits/{*org_unit_path}",
            get(orgunits::get)
                .patch(orgunits::patch)
                .put(orgunits::update)
                .delete(orgunits::delete),
        )
}

/// An etag for a resource version: opaque, changes whenever the resource does.
pub fn etag(id: &str, version: i64) -> String {
    format!("\"{id}/{version}\"")
}
