//! What the documents of an order and of an adhesion are made of, read from the cache
//! (offline): the order with its offers and the providers' names and addresses, the commune's
//! signatories as they signed its adhesion, the convention's text.

use centrale_domain::role::Role;
use uuid::Uuid;

use super::fixture::{fixture, NIS};

#[test]
fn an_orders_paper_holds_its_offers_addresses_and_the_communes_signatories() {
    let f = fixture();
    let paper = f.store.order_paper(f.evaluated.id).unwrap().unwrap();
    assert_eq!(paper.order.id, f.evaluated.id);
    assert_eq!(paper.commune_name, "Bertrix");
    assert_eq!(paper.service_name, "E-guichet");
    assert_eq!(paper.offers.len(), 2);
    assert_eq!(paper.providers.name(f.p1.id), "Nuagix SA");
    assert_eq!(
        paper.addresses.get(&f.p1.id).map(String::as_str),
        Some("Rue de la Gare 1, 6880 Bertrix")
    );
    // The directeur général and the bourgmestre, as they signed the adhesion.
    let roles: Vec<Role> = paper.signatories.iter().map(|s| s.role).collect();
    assert_eq!(roles, vec![Role::DirectorGeneral, Role::Mayor]);
    assert!(f
        .store
        .order_paper(Uuid::from_u128(9_999))
        .unwrap()
        .is_none());
}

#[test]
fn an_adhesions_paper_holds_the_convention_text_it_is_on() {
    let f = fixture();
    let paper = f
        .store
        .adhesion_paper(Uuid::from_u128(400))
        .unwrap()
        .unwrap();
    assert_eq!(paper.adhesion.commune_nis, NIS);
    assert_eq!(paper.commune_name, "Bertrix");
    assert_eq!(paper.template.id, paper.adhesion.template_id);
    assert_eq!(paper.template.sha256, paper.adhesion.text_sha256);
    assert!(paper.template.is_intact());
    assert!(f
        .store
        .adhesion_paper(Uuid::from_u128(9_999))
        .unwrap()
        .is_none());
}
