//! Every success and failure path of the artifacts pallet.
use crate::{mock::*, ArtifactInfo, ArtifactKind, ArtifactRegistry, Digest, Error, Event, HoldReason};
use polkadot_sdk::frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};

fn digest(n: u8) -> Digest {
	Digest::repeat_byte(n)
}

fn info(d: Digest) -> Option<ArtifactInfo<Test>> {
	crate::pallet::Artifacts::<Test>::get(d)
}

const URI: &[u8] = b"https://data.example.org/a.csv";

fn register(who: u64, d: Digest, parents: Vec<Digest>) -> polkadot_sdk::sp_runtime::DispatchResult {
	Artifacts::register(
		RuntimeOrigin::signed(who),
		d,
		ArtifactKind::Dataset,
		1024,
		URI.to_vec(),
		b"CC-BY-4.0".to_vec(),
		parents,
	)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), &who)
}

#[test]
fn register_records_the_artifact_and_holds_the_deposit() {
	new_test_ext().execute_with(|| {
		System::set_block_number(7);
		assert_ok!(register(1, digest(1), vec![]));
		let info = info(digest(1)).expect("registered");
		let expected_deposit = 100 + (URI.len() + 9) as u64;
		assert_eq!(info.owner, 1);
		assert_eq!(info.kind, ArtifactKind::Dataset);
		assert_eq!(info.size, 1024);
		assert_eq!(info.registered_at, 7);
		assert_eq!(info.deposit, expected_deposit);
		assert_eq!(held(1), expected_deposit);
		assert_eq!(Balances::balance(&1), 10_000 - expected_deposit);
		System::assert_last_event(
			Event::Registered { digest: digest(1), owner: 1, kind: ArtifactKind::Dataset, deposit: expected_deposit }
				.into(),
		);
		Artifacts::do_try_state().unwrap();
	});
}

#[test]
fn all_three_uri_schemes_are_accepted() {
	new_test_ext().execute_with(|| {
		for (i, uri) in [&b"http://h/x"[..], b"https://h/x", b"ipfs://bafy"].iter().enumerate() {
			assert_ok!(Artifacts::register(
				RuntimeOrigin::signed(1),
				digest(i as u8 + 1),
				ArtifactKind::Predictions,
				1,
				uri.to_vec(),
				b"MIT".to_vec(),
				vec![]
			));
		}
	});
}

#[test]
fn a_digest_is_registered_once_and_the_first_keeps_priority() {
	new_test_ext().execute_with(|| {
		assert_ok!(register(1, digest(1), vec![]));
		assert_noop!(register(2, digest(1), vec![]), Error::<Test>::AlreadyRegistered);
		assert_eq!(info(digest(1)).unwrap().owner, 1);
	});
}

#[test]
fn bad_uris_are_rejected_by_name() {
	new_test_ext().execute_with(|| {
		let cases: [(&[u8], Error<Test>); 5] = [
			(b"ftp://h/x", Error::<Test>::InvalidUri),
			(b"https://", Error::<Test>::InvalidUri),
			(b"https://h/a b", Error::<Test>::InvalidUri),
			(b"data.csv", Error::<Test>::InvalidUri),
			(&[b'h'; 65], Error::<Test>::UriTooLong),
		];
		for (uri, error) in cases {
			assert_noop!(
				Artifacts::register(
					RuntimeOrigin::signed(1),
					digest(1),
					ArtifactKind::Dataset,
					1,
					uri.to_vec(),
					b"MIT".to_vec(),
					vec![]
				),
				error
			);
		}
	});
}

#[test]
fn bad_licenses_are_rejected_by_name() {
	new_test_ext().execute_with(|| {
		for (license, error) in [
			(&b""[..], Error::<Test>::InvalidLicense),
			(b"MIT License", Error::<Test>::InvalidLicense),
			(b"A-VERY-LONG-LICENSE-ID", Error::<Test>::LicenseTooLong),
		] {
			assert_noop!(
				Artifacts::register(
					RuntimeOrigin::signed(1),
					digest(1),
					ArtifactKind::Code,
					1,
					URI.to_vec(),
					license.to_vec(),
					vec![]
				),
				error
			);
		}
	});
}

#[test]
fn empty_artifacts_are_rejected() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Artifacts::register(RuntimeOrigin::signed(1), digest(1), ArtifactKind::Code, 0, URI.to_vec(), b"MIT".to_vec(), vec![]),
			Error::<Test>::EmptyArtifact
		);
	});
}

#[test]
fn parents_must_exist_be_distinct_and_fit() {
	new_test_ext().execute_with(|| {
		assert_noop!(register(1, digest(9), vec![digest(1)]), Error::<Test>::UnknownParent);
		assert_ok!(register(1, digest(1), vec![]));
		assert_noop!(register(1, digest(9), vec![digest(1), digest(1)]), Error::<Test>::DuplicateParent);
		assert_noop!(register(1, digest(9), vec![digest(9)]), Error::<Test>::DuplicateParent);
		assert_noop!(
			register(1, digest(9), vec![digest(1), digest(2), digest(3), digest(4)]),
			Error::<Test>::TooManyParents
		);
	});
}

#[test]
fn a_parent_is_pinned_until_its_children_are_removed() {
	new_test_ext().execute_with(|| {
		assert_ok!(register(1, digest(1), vec![]));
		assert_ok!(register(2, digest(2), vec![digest(1)]));
		assert_eq!(info(digest(1)).unwrap().references, 1);
		assert_noop!(Artifacts::remove(RuntimeOrigin::signed(1), digest(1)), Error::<Test>::StillReferenced);
		assert_ok!(Artifacts::remove(RuntimeOrigin::signed(2), digest(2)));
		assert_eq!(info(digest(1)).unwrap().references, 0);
		assert_ok!(Artifacts::remove(RuntimeOrigin::signed(1), digest(1)));
		Artifacts::do_try_state().unwrap();
	});
}

#[test]
fn remove_releases_the_deposit_to_the_owner() {
	new_test_ext().execute_with(|| {
		assert_ok!(register(1, digest(1), vec![]));
		let deposit = info(digest(1)).unwrap().deposit;
		assert_ok!(Artifacts::remove(RuntimeOrigin::signed(1), digest(1)));
		assert!(info(digest(1)).is_none());
		assert_eq!(held(1), 0);
		assert_eq!(Balances::balance(&1), 10_000);
		System::assert_last_event(Event::Removed { digest: digest(1), owner: 1, deposit }.into());
	});
}

#[test]
fn only_the_owner_removes_and_only_known_artifacts() {
	new_test_ext().execute_with(|| {
		assert_noop!(Artifacts::remove(RuntimeOrigin::signed(1), digest(1)), Error::<Test>::UnknownArtifact);
		assert_ok!(register(1, digest(1), vec![]));
		assert_noop!(Artifacts::remove(RuntimeOrigin::signed(2), digest(1)), Error::<Test>::NotOwner);
	});
}

#[test]
fn an_owner_who_cannot_pay_the_deposit_is_told_so() {
	new_test_ext().execute_with(|| {
		assert_noop!(register(3, digest(1), vec![]), Error::<Test>::InsufficientBalanceForDeposit);
	});
}

#[test]
fn other_pallets_pin_and_unpin_through_the_registry_trait() {
	new_test_ext().execute_with(|| {
		assert_ok!(register(1, digest(1), vec![]));
		assert_eq!(<Artifacts as ArtifactRegistry<u64>>::artifact(&digest(1)), Some((1, ArtifactKind::Dataset)));
		assert_eq!(<Artifacts as ArtifactRegistry<u64>>::artifact(&digest(2)), None);
		assert_ok!(<Artifacts as ArtifactRegistry<u64>>::add_reference(&digest(1)));
		assert_noop!(
			<Artifacts as ArtifactRegistry<u64>>::add_reference(&digest(2)),
			Error::<Test>::UnknownArtifact
		);
		assert_noop!(Artifacts::remove(RuntimeOrigin::signed(1), digest(1)), Error::<Test>::StillReferenced);
		<Artifacts as ArtifactRegistry<u64>>::remove_reference(&digest(1));
		assert_ok!(Artifacts::remove(RuntimeOrigin::signed(1), digest(1)));
	});
}

#[test]
fn unsigned_origins_are_rejected() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Artifacts::register(RuntimeOrigin::none(), digest(1), ArtifactKind::Code, 1, URI.to_vec(), b"MIT".to_vec(), vec![]),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
	});
}
