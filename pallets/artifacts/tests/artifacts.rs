//! Every success and failure path of the artifacts pallet.
use merit_test_runtime::*;
use pallet_merit_artifacts::{ArtifactInfo, ArtifactKind, ArtifactRegistry, Digest, Error, Event, HoldReason};
use polkadot_sdk::frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};

/// Accounts 1 and 2 are rich; account 3 can pay for nothing. A deposit is 100 plus 1 per byte.
fn ext() -> ExtBuilder {
	ExtBuilder::default().balances(vec![(account(1), 10_000), (account(2), 10_000), (account(3), 10)]).bounds(|b| {
		b.artifact_deposit_base = 100;
		b.artifact_deposit_per_byte = 1;
	})
}

fn digest(n: u8) -> Digest {
	Digest::repeat_byte(n)
}

fn info(d: Digest) -> Option<ArtifactInfo<Test>> {
	pallet_merit_artifacts::Artifacts::<Test>::get(d)
}

const URI: &[u8] = b"https://data.example.org/a.csv";

fn register(who: u8, d: Digest, parents: Vec<Digest>) -> polkadot_sdk::sp_runtime::DispatchResult {
	MeritArtifacts::register(
		RuntimeOrigin::signed(account(who)),
		d,
		ArtifactKind::Dataset,
		1024,
		URI.to_vec(),
		b"CC-BY-4.0".to_vec(),
		parents,
	)
}

fn held(who: u8) -> u64 {
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), &account(who))
}

#[test]
fn register_records_the_artifact_and_holds_the_deposit() {
	ext().build_and_execute(|| {
		System::set_block_number(7);
		assert_ok!(register(1, digest(1), vec![]));
		let info = info(digest(1)).expect("registered");
		let expected_deposit = 100 + (URI.len() + 9) as u64;
		assert_eq!(info.owner, account(1));
		assert_eq!(info.kind, ArtifactKind::Dataset);
		assert_eq!(info.size, 1024);
		assert_eq!(info.registered_at, 7);
		assert_eq!(info.deposit, expected_deposit);
		assert_eq!(held(1), expected_deposit);
		assert_eq!(Balances::balance(&account(1)), 10_000 - expected_deposit);
		System::assert_last_event(
			Event::Registered {
				digest: digest(1),
				owner: account(1),
				kind: ArtifactKind::Dataset,
				deposit: expected_deposit,
			}
			.into(),
		);
	});
}

#[test]
fn all_three_uri_schemes_are_accepted() {
	ext().build_and_execute(|| {
		for (i, uri) in [&b"http://h/x"[..], b"https://h/x", b"ipfs://bafy"].iter().enumerate() {
			assert_ok!(MeritArtifacts::register(
				RuntimeOrigin::signed(account(1)),
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
	ext().build_and_execute(|| {
		assert_ok!(register(1, digest(1), vec![]));
		assert_noop!(register(2, digest(1), vec![]), Error::<Test>::AlreadyRegistered);
		assert_eq!(info(digest(1)).unwrap().owner, account(1));
	});
}

#[test]
fn bad_uris_are_rejected_by_name() {
	ext().build_and_execute(|| {
		let cases: [(&[u8], Error<Test>); 5] = [
			(b"ftp://h/x", Error::<Test>::InvalidUri),
			(b"https://", Error::<Test>::InvalidUri),
			(b"https://h/a b", Error::<Test>::InvalidUri),
			(b"data.csv", Error::<Test>::InvalidUri),
			(&[b'h'; 65], Error::<Test>::UriTooLong),
		];
		for (uri, error) in cases {
			assert_noop!(
				MeritArtifacts::register(
					RuntimeOrigin::signed(account(1)),
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
	ext().build_and_execute(|| {
		for (license, error) in [
			(&b""[..], Error::<Test>::InvalidLicense),
			(b"MIT License", Error::<Test>::InvalidLicense),
			(b"A-VERY-LONG-LICENSE-ID", Error::<Test>::LicenseTooLong),
		] {
			assert_noop!(
				MeritArtifacts::register(
					RuntimeOrigin::signed(account(1)),
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
	ext().build_and_execute(|| {
		assert_noop!(
			MeritArtifacts::register(
				RuntimeOrigin::signed(account(1)),
				digest(1),
				ArtifactKind::Code,
				0,
				URI.to_vec(),
				b"MIT".to_vec(),
				vec![]
			),
			Error::<Test>::EmptyArtifact
		);
	});
}

#[test]
fn parents_must_exist_be_distinct_and_fit() {
	ext().build_and_execute(|| {
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

/// Issue 12's attack: naming someone's artifact as a parent used to pin it for good, locking its
/// owner's deposit. A parent is provenance now: its owner removes it whenever nothing else pins it.
#[test]
fn naming_someone_elses_artifact_as_a_parent_does_not_pin_it() {
	ext().build_and_execute(|| {
		assert_ok!(register(1, digest(1), vec![]));
		assert_ok!(register(2, digest(2), vec![digest(1)]));
		assert_eq!(info(digest(1)).unwrap().references, 0);
		assert_ok!(MeritArtifacts::remove(RuntimeOrigin::signed(account(1)), digest(1)));
		assert_eq!(held(1), 0);
		// The child keeps the digest as its provenance.
		assert_eq!(info(digest(2)).unwrap().parents.to_vec(), vec![digest(1)]);
	});
}

#[test]
fn remove_releases_the_deposit_to_the_owner() {
	ext().build_and_execute(|| {
		assert_ok!(register(1, digest(1), vec![]));
		let deposit = info(digest(1)).unwrap().deposit;
		assert_ok!(MeritArtifacts::remove(RuntimeOrigin::signed(account(1)), digest(1)));
		assert!(info(digest(1)).is_none());
		assert_eq!(held(1), 0);
		assert_eq!(Balances::balance(&account(1)), 10_000);
		System::assert_last_event(Event::Removed { digest: digest(1), owner: account(1), deposit }.into());
	});
}

#[test]
fn only_the_owner_removes_and_only_known_artifacts() {
	ext().build_and_execute(|| {
		assert_noop!(
			MeritArtifacts::remove(RuntimeOrigin::signed(account(1)), digest(1)),
			Error::<Test>::UnknownArtifact
		);
		assert_ok!(register(1, digest(1), vec![]));
		assert_noop!(MeritArtifacts::remove(RuntimeOrigin::signed(account(2)), digest(1)), Error::<Test>::NotOwner);
	});
}

#[test]
fn an_owner_who_cannot_pay_the_deposit_is_told_so() {
	ext().build_and_execute(|| {
		assert_noop!(register(3, digest(1), vec![]), Error::<Test>::InsufficientBalanceForDeposit);
	});
}

#[test]
fn other_pallets_pin_and_unpin_through_the_registry_trait() {
	ext().build_and_execute(|| {
		assert_ok!(register(1, digest(1), vec![]));
		assert_eq!(
			<MeritArtifacts as ArtifactRegistry<AccountId, u64>>::artifact(&digest(1)),
			Some((account(1), ArtifactKind::Dataset))
		);
		assert_eq!(<MeritArtifacts as ArtifactRegistry<AccountId, u64>>::artifact(&digest(2)), None);
		assert_ok!(<MeritArtifacts as ArtifactRegistry<AccountId, u64>>::add_reference(&digest(1)));
		assert_noop!(
			<MeritArtifacts as ArtifactRegistry<AccountId, u64>>::add_reference(&digest(2)),
			Error::<Test>::UnknownArtifact
		);
		assert_noop!(
			MeritArtifacts::remove(RuntimeOrigin::signed(account(1)), digest(1)),
			Error::<Test>::StillReferenced
		);
		<MeritArtifacts as ArtifactRegistry<AccountId, u64>>::remove_reference(&digest(1));
		assert_ok!(MeritArtifacts::remove(RuntimeOrigin::signed(account(1)), digest(1)));
	});
}

#[test]
fn unsigned_origins_are_rejected() {
	ext().build_and_execute(|| {
		assert_noop!(
			MeritArtifacts::register(
				RuntimeOrigin::none(),
				digest(1),
				ArtifactKind::Code,
				1,
				URI.to_vec(),
				b"MIT".to_vec(),
				vec![]
			),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
	});
}
