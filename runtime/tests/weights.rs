//! Every call's worst-case weight must fit in one block's normal dispatch class, or the call could
//! never be included: checked for the calls whose cost grows with a runtime bound.
use merit_runtime::{configs::RuntimeBlockWeights, Runtime, RuntimeCall};
use polkadot_sdk::frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::Get,
};

fn max_extrinsic() -> polkadot_sdk::frame_support::weights::Weight {
	RuntimeBlockWeights::get().get(DispatchClass::Normal).max_extrinsic.expect("normal extrinsics are limited")
}

fn assert_fits(name: &str, call: RuntimeCall) {
	let weight = call.get_dispatch_info().call_weight;
	let limit = max_extrinsic();
	// Read by people tuning the limits: `cargo test -p merit-runtime --test weights -- --nocapture`.
	println!(
		"{name}: worst case {:.2} ms of {:.2} ms per extrinsic",
		weight.ref_time() as f64 / 1e9,
		limit.ref_time() as f64 / 1e9
	);
	assert!(weight.all_lte(limit), "{name}: worst-case weight {weight:?} exceeds the normal extrinsic limit {limit:?}");
	// Leave room for other transactions in the block, too.
	assert!(
		weight.ref_time() <= limit.ref_time() / 2,
		"{name}: worst-case weight {weight:?} takes more than half of a block"
	);
}

#[test]
fn the_heaviest_calls_fit_in_a_block() {
	assert_fits(
		"MeritRewards::finalize",
		RuntimeCall::MeritRewards(pallet_merit_rewards::Call::finalize { challenge: 0 }),
	);
	assert_fits(
		"MeritScoring::reveal_report",
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::reveal_report {
			submission: 0,
			stage: pallet_merit_scoring::Stage::Private,
			outcome: pallet_merit_scoring::Outcome::Scored(merit_metrics::Score::from_parts(0)),
			salt: [0; 32],
		}),
	);
	assert_fits(
		"MeritScoring::conclude_round",
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::conclude_round {
			submission: 0,
			stage: pallet_merit_scoring::Stage::Public,
		}),
	);
	let parents = vec![0; <<Runtime as pallet_merit_challenges::Config>::MaxParents as Get<u32>>::get() as usize];
	assert_fits(
		"MeritChallenges::submit",
		RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::submit {
			challenge: 0,
			predictions: merit_primitives::ArtifactClaim {
				digest: Default::default(),
				size: u64::MAX,
				uri: b"https://store.example/predictions.csv".to_vec(),
				license: b"CC-BY-4.0".to_vec(),
			},
			parents,
			previous_version: None,
		}),
	);
	let max_prune = <<Runtime as pallet_merit_scoring::Config>::MaxPrunePerCall as Get<u32>>::get();
	assert_fits(
		"MeritScoring::prune",
		RuntimeCall::MeritScoring(pallet_merit_scoring::Call::prune { challenge: 0, max_submissions: max_prune }),
	);
	let max_batch = <<Runtime as pallet_merit_campaigns::Config>::MaxBatch as Get<u32>>::get();
	let subject = pallet_merit_campaigns::SubjectInput {
		digest: Default::default(),
		prior: Some(vec![0; merit_primitives::campaigns::MAX_ANSWERS]),
		min_level: 0,
	};
	assert_fits(
		"MeritCampaigns::add_subjects",
		RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::add_subjects {
			campaign: 0,
			subjects: vec![subject; max_batch as usize],
		}),
	);
	assert_fits(
		"MeritCampaigns::add_gold",
		RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::add_gold {
			campaign: 0,
			digests: vec![Default::default(); max_batch as usize],
			commitment: [0; 32],
			reveal_after: 0,
		}),
	);
	assert_fits(
		"MeritCampaigns::reveal_gold",
		RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::reveal_gold {
			campaign: 0,
			batch: 0,
			answers: vec![0; max_batch as usize],
			salt: [0; 32],
		}),
	);
	assert_fits(
		"MeritCampaigns::reveal",
		RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::reveal {
			campaign: 0,
			subject: 0,
			answer: 0,
			salt: [0; 32],
		}),
	);
	assert_fits(
		"MeritCampaigns::close_round",
		RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::close_round { campaign: 0, subject: 0 }),
	);
	assert_fits(
		"MeritChallenges::settle_deposit",
		RuntimeCall::MeritChallenges(pallet_merit_challenges::Call::settle_deposit { submission: 0 }),
	);
}

/// The draws of one block run in `on_initialize`, before any transaction: `MaxDrawsPerBlock` draws
/// over `MaxEvaluators` evaluators must leave most of the block to transactions.
#[test]
fn a_block_of_panel_draws_leaves_room_for_transactions() {
	use pallet_merit_scoring::WeightInfo;
	type Scoring = <Runtime as pallet_merit_scoring::Config>::WeightInfo;
	let draws = <<Runtime as pallet_merit_scoring::Config>::MaxDrawsPerBlock as Get<u32>>::get();
	let evaluators = <<Runtime as pallet_merit_scoring::Config>::MaxEvaluators as Get<u32>>::get();
	let weight = Scoring::draw_panel(evaluators).saturating_mul(draws as u64);
	let block = RuntimeBlockWeights::get().max_block;
	println!(
		"{draws} panel draws of {evaluators} evaluators: {:.2} ms of a {:.2} ms block",
		weight.ref_time() as f64 / 1e9,
		block.ref_time() as f64 / 1e9
	);
	assert!(weight.ref_time() <= block.ref_time() / 10, "a block's draws take more than a tenth of it: {weight:?}");
}

/// A classification is two transactions, `classify` (the sealed answer and the next assignment)
/// and `reveal`, each charged its declared worst case at inclusion: how many fit in one block's
/// normal class is the campaigns' throughput floor, quoted in README.
#[test]
fn a_block_holds_four_hundred_classifications() {
	let base =
		<Runtime as polkadot_sdk::frame_system::Config>::BlockWeights::get().get(DispatchClass::Normal).base_extrinsic;
	let normal = RuntimeBlockWeights::get().get(DispatchClass::Normal).max_total.expect("a normal limit");
	let classify = RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::classify { campaign: 0, seal: [0; 32] })
		.get_dispatch_info();
	let reveal = RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::reveal {
		campaign: 0,
		subject: 0,
		answer: 0,
		salt: [0; 32],
	})
	.get_dispatch_info();
	let pair = classify.call_weight.ref_time() + reveal.call_weight.ref_time() + 2 * base.ref_time();
	let per_block = normal.ref_time() / pair;
	println!(
		"classify {:.3} ms + reveal {:.3} ms (+ 2 × {:.3} ms base): {per_block} classifications per block of {:.0} ms",
		classify.call_weight.ref_time() as f64 / 1e9,
		reveal.call_weight.ref_time() as f64 / 1e9,
		base.ref_time() as f64 / 1e9,
		normal.ref_time() as f64 / 1e9,
	);
	assert!(per_block >= 400, "only {per_block} classifications fit in a block");
}

/// Feeless volunteering: a block's share of feeless actions (`MaxFeelessPerBlock`), each charged
/// its worst case (a reveal that retires a subject) plus its authorization (an ECDSA signature
/// and the checks), fits in half of a block's normal class, so paying transactions always have
/// the other half; and the feeless classifications per block are printed for README.
#[test]
fn a_blocks_share_of_feeless_actions_leaves_half_the_block_to_paying_transactions() {
	use pallet_merit_campaigns::VolunteerAction;
	use polkadot_sdk::{frame_support::traits::Authorize, sp_core, sp_runtime};
	let base =
		<Runtime as polkadot_sdk::frame_system::Config>::BlockWeights::get().get(DispatchClass::Normal).base_extrinsic;
	let normal = RuntimeBlockWeights::get().get(DispatchClass::Normal).max_total.expect("a normal limit");
	let feeless = |action: VolunteerAction| {
		let call = RuntimeCall::MeritCampaigns(pallet_merit_campaigns::Call::volunteer {
			campaign: 0,
			volunteer: [0u8; 32].into(),
			valid_until: 0,
			action,
			signature: sp_runtime::MultiSignature::Ed25519(sp_core::ed25519::Signature::from_raw([0; 64])),
		});
		call.get_dispatch_info().call_weight.ref_time() + call.weight_of_authorize().ref_time() + base.ref_time()
	};
	let classify = feeless(VolunteerAction::Classify { subject: 0, seal: [0; 32] });
	let reveal = feeless(VolunteerAction::Reveal { subject: 0, answer: 0, salt: [0; 32] });
	let share: u32 = <Runtime as pallet_merit_campaigns::Config>::MaxFeelessPerBlock::get();
	let worst = classify.max(reveal) * share as u64;
	println!(
		"feeless classify {:.3} ms, reveal {:.3} ms (each with its authorization and base): {} feeless classifications \
		 per block; the block's share of {share} actions takes at most {:.0} ms of {:.0} ms",
		classify as f64 / 1e9,
		reveal as f64 / 1e9,
		normal.ref_time() / (classify + reveal),
		worst as f64 / 1e9,
		normal.ref_time() as f64 / 1e9,
	);
	assert!(worst <= normal.ref_time() / 2, "the feeless share takes more than half a block");
}
