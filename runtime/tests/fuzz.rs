//! A fuzzer over the real Merit runtime, as an attacker plays it: random sequences of calls to every
//! Merit pallet (and balance transfers), from many origins, with arguments drawn near the live state
//! (existing and next ids, registered and unknown digests, honest and wrong commitments, extreme
//! amounts and schedules), in real blocks: `Executive::initialize_block` with an Aura slot, the
//! timestamp inherent, the calls, `Executive::finalize_block`, so every hook runs. The evaluators'
//! workers' calls (commit, reveal, abstain, conclude, labels keys) are among them.
//!
//! After every block: every Merit pallet's `try_state` (money against real holds, pool ledgers,
//! team shares, selections, pins) and the total issuance against the sum of every account's
//! balance. A panic or a broken invariant fails the test with the seed, block and call.
//!
//! `MERIT_FUZZ_CALLS` (default 3,000) and `MERIT_FUZZ_SEED` (default 1) set the run; `bash
//! scripts/fuzz` runs seeds one after another for a given time and reports the total.
mod common;

use common::*;
use merit_runtime::{Executive, Header, Timestamp};
use polkadot_sdk::{
	frame_support::traits::Get,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_core::{Encode, H256},
	sp_io,
	sp_runtime::{
		traits::{Dispatchable, Header as _},
		BuildStorage, Digest, DigestItem, DispatchError, Perbill,
	},
};
use std::{
	collections::{BTreeMap, BTreeSet},
	panic::{catch_unwind, AssertUnwindSafe},
};

/// SplitMix64: the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
	fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u64) as usize].clone()
	}
	/// Mostly small, sometimes at the edges of the type.
	fn amount(&mut self) -> u128 {
		match self.below(6) {
			0 => 0,
			1 => self.below(1_000) as u128,
			2 => MERIT * self.below(100) as u128,
			3 => POOL,
			4 => u128::MAX,
			_ => 10_000 * MERIT,
		}
	}
}

/// Evaluators bonded before the run.
const EVALUATORS: u8 = 8;

/// Who signs: the keyring accounts, the evaluators, their nodes' keys, and an account without funds.
fn signers() -> Vec<AccountId> {
	let mut all = keyring_accounts();
	all.extend((1..=EVALUATORS).map(evaluator));
	all.extend((1..=EVALUATORS).map(key));
	all.push(id(7));
	all
}

/// Genesis with an Aura and a GRANDPA authority (real blocks need them) and funded signers.
fn genesis() -> sp_io::TestExternalities {
	let mut endowed = signers();
	endowed.pop(); // the account without funds
	let storage = RuntimeGenesisConfig {
		balances: polkadot_sdk::pallet_balances::GenesisConfig {
			balances: endowed.into_iter().map(|who| (who, 10_000 * MERIT)).collect(),
			..Default::default()
		},
		aura: polkadot_sdk::pallet_aura::GenesisConfig { authorities: vec![Sr25519Keyring::Alice.public().into()] },
		grandpa: polkadot_sdk::pallet_grandpa::GenesisConfig {
			authorities: vec![(polkadot_sdk::sp_keyring::Ed25519Keyring::Alice.public().into(), 1)],
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// What a run found.
#[derive(Default)]
struct Tally {
	calls: u64,
	succeeded: BTreeMap<&'static str, u64>,
	refused: BTreeMap<String, u64>,
	blocks: u64,
}

struct Fuzzer {
	rng: Rng,
	signers: Vec<AccountId>,
	parent: H256,
	tally: Tally,
}

impl Fuzzer {
	fn now(&self) -> BlockNumber {
		System::block_number()
	}

	/// An id below `next`, or `next` itself (not there yet), or far away.
	fn id_near(&mut self, next: u32) -> u32 {
		match self.rng.below(10) {
			0 => next,
			1 => u32::MAX,
			_ => self.rng.below(next.max(1) as u64) as u32,
		}
	}
	fn challenge(&mut self) -> u32 {
		self.id_near(pallet_merit_challenges::NextChallengeId::<Runtime>::get())
	}
	/// Half the time one of the latest twenty (most likely still being scored).
	fn submission(&mut self) -> u32 {
		let next = pallet_merit_challenges::NextSubmissionId::<Runtime>::get();
		if next > 0 && self.rng.chance(50) {
			return next - 1 - self.rng.below(next.min(20) as u64) as u32;
		}
		self.id_near(next)
	}
	/// The stage a submission is being scored at, mostly.
	fn stage_of(&mut self, submission: u32) -> Stage {
		let state = pallet_merit_challenges::Submissions::<Runtime>::get(submission)
			.and_then(|record| pallet_merit_challenges::ChallengeStatuses::<Runtime>::get(record.challenge))
			.map(|status| status.state);
		match state {
			_ if self.rng.chance(10) => self.stage(),
			Some(ChallengeState::Open) => Stage::Public,
			Some(ChallengeState::LabelsRevealed) => {
				if pallet_merit_scoring::Disputes::<Runtime>::contains_key(submission) {
					Stage::Dispute
				} else {
					Stage::Private
				}
			}
			_ => self.stage(),
		}
	}
	fn team(&mut self) -> u32 {
		self.id_near(pallet_merit_teams::NextTeamId::<Runtime>::get())
	}
	fn account(&mut self) -> AccountId {
		if self.rng.chance(10) {
			// A team's account, or an evaluator's.
			let team = self.team();
			return pallet_merit_teams::Teams::<Runtime>::get(team).map_or(evaluator(1), |t| t.account);
		}
		let signers = self.signers.clone();
		self.rng.pick(&signers)
	}
	fn digest(&mut self) -> H256 {
		match self.rng.below(8) {
			0 => digest(0x10),
			1 => digest(LABELS),
			_ => digest(0x30 + self.rng.below(48) as u8),
		}
	}
	fn claim(&mut self) -> merit_primitives::ArtifactClaim {
		let mut claim = claim_of(self.digest());
		if self.rng.chance(10) {
			claim.size = self.rng.pick(&[0, u64::MAX, 40 * 1024 * 1024]);
		}
		if self.rng.chance(5) {
			claim.uri = self.rng.pick(&[b"".to_vec(), b"ftp://x".to_vec(), vec![b'u'; 2_000]]);
		}
		claim
	}
	fn stage(&mut self) -> Stage {
		self.rng.pick(&[Stage::Public, Stage::Private, Stage::Dispute])
	}
	/// What an honest evaluator finds for a submission (mostly), or something else.
	fn outcome_of(&mut self, submission: u32) -> Outcome {
		if self.rng.chance(85) {
			return scored((1 + submission as u128 % 3) * merit_metrics::Score::SCALE);
		}
		self.outcome()
	}
	fn outcome(&mut self) -> Outcome {
		match self.rng.below(5) {
			0 => Outcome::Failed(FailureReason::TooLarge),
			1 => Outcome::Failed(FailureReason::ScorerCrashed),
			2 => scored(2 * merit_metrics::Score::SCALE),
			_ => scored(merit_metrics::Score::SCALE),
		}
	}
	fn ids(&mut self, next: impl Fn(&mut Self) -> u32) -> Vec<u32> {
		(0..self.rng.below(4)).map(|_| next(self)).collect()
	}
	fn shares(&mut self) -> Vec<(AccountId, Perbill)> {
		let team = self.team();
		let members: Vec<AccountId> = pallet_merit_teams::Teams::<Runtime>::get(team)
			.map(|t| t.members.iter().map(|(m, _)| m.clone()).collect())
			.unwrap_or_else(|| vec![self.account()]);
		let n = members.len() as u32;
		members.into_iter().map(|m| (m, Perbill::from_rational(1, n.max(1) + u32::from(self.rng.chance(10))))).collect()
	}

	fn params(&mut self) -> pallet_merit_challenges::ChallengeParamsOf<Runtime> {
		// Mostly valid, so that challenges live; sometimes at or past every bound.
		let wild = self.rng.chance(25);
		let now = self.now();
		let open_until = now + 20 + self.rng.below(if wild { 5_000 } else { 300 }) as BlockNumber;
		let reveal_deadline = open_until + 1 + self.rng.below(if wild { 5_000 } else { 200 }) as BlockNumber;
		let mode = if self.rng.chance(20) { SubmissionMode::Sealed } else { SubmissionMode::Open };
		let quorum = if wild { self.rng.below(20) as u32 } else { 3 };
		let mut params = params(quorum, mode, open_until, reveal_deadline);
		params.metric = self.rng.pick(&merit_metrics::Metric::ALL);
		params.prize_pool = if wild { self.rng.amount() } else { POOL };
		params.final_selections = self.rng.below(if wild { 9 } else { 4 }) as u32;
		params.limits = if wild {
			SubmissionLimits { per_day: self.rng.below(6) as u32, total: self.rng.below(12) as u32 }
		} else {
			SubmissionLimits { per_day: 5, total: 10 }
		};
		params.teams = merit_primitives::TeamRules {
			max_size: if wild { self.rng.below(8) as u32 } else { 1 + self.rng.below(3) as u32 },
			merge_until: open_until.saturating_sub(self.rng.below(20) as BlockNumber),
		};
		if self.rng.chance(15) {
			params.previous_phase = Some(self.challenge());
		}
		if self.rng.chance(10) {
			params.reward_shares = (0..self.rng.below(12)).map(|i| Perbill::from_percent(10 * i as u32)).collect();
		}
		if self.rng.chance(5) {
			params.training_data = vec![self.digest(); self.rng.below(20) as usize];
		}
		params
	}

	/// A call and who sends it.
	fn call(&mut self) -> (&'static str, RuntimeOrigin, RuntimeCall) {
		use pallet_merit_artifacts::Call as A;
		use pallet_merit_challenges::Call as C;
		use pallet_merit_rewards::Call as R;
		use pallet_merit_scoring::Call as S;
		use pallet_merit_teams::Call as T;
		let signer = self.account();
		let n = 1 + self.rng.below(EVALUATORS as u64) as u8;
		let mut origin = RuntimeOrigin::signed(signer);
		let (name, call): (&'static str, RuntimeCall) = match self.rng.below(100) {
			0..=5 => {
				let kind = self.rng.pick(&[
					ArtifactKind::Dataset,
					ArtifactKind::Labels,
					ArtifactKind::Predictions,
					ArtifactKind::Code,
					ArtifactKind::Model,
					ArtifactKind::Report,
				]);
				let claim = self.claim();
				let parents = (0..self.rng.below(3)).map(|_| self.digest()).collect();
				let call = A::register {
					digest: claim.digest,
					kind,
					size: claim.size,
					uri: claim.uri,
					license: claim.license,
					parents,
				};
				("register", RuntimeCall::MeritArtifacts(call))
			}
			6 => ("remove", RuntimeCall::MeritArtifacts(A::remove { digest: self.digest() })),
			7..=12 => ("create_challenge", RuntimeCall::MeritChallenges(C::create_challenge { params: self.params() })),
			13 => {
				("cancel_challenge", RuntimeCall::MeritChallenges(C::cancel_challenge { challenge: self.challenge() }))
			}
			14..=25 => {
				let call = C::submit {
					challenge: self.challenge(),
					predictions: self.claim(),
					parents: self.ids(Self::submission),
					previous_version: self.rng.chance(20).then(|| self.submission()),
				};
				("submit", RuntimeCall::MeritChallenges(call))
			}
			26 | 27 => {
				let call = C::commit_submission {
					challenge: self.challenge(),
					commitment: H256::repeat_byte(self.rng.next() as u8),
					parents: self.ids(Self::submission),
					previous_version: None,
				};
				("commit_submission", RuntimeCall::MeritChallenges(call))
			}
			28 | 29 => {
				let call = C::reveal_submission {
					submission: self.submission(),
					predictions: self.claim(),
					salt: vec![self.rng.next() as u8; self.rng.below(40) as usize],
				};
				("reveal_submission", RuntimeCall::MeritChallenges(call))
			}
			30..=33 => {
				let mut labels = claim_of(digest(LABELS));
				let mut salt = LABELS_SALT.to_vec();
				if self.rng.chance(20) {
					labels = self.claim();
				}
				if self.rng.chance(10) {
					salt = vec![1; self.rng.below(100) as usize];
				}
				let challenge = self.challenge();
				if let Some(spec) = pallet_merit_challenges::ChallengeSpecs::<Runtime>::get(challenge) {
					if self.rng.chance(80) {
						origin = RuntimeOrigin::signed(spec.owner);
					}
				}
				let call = C::reveal_labels { challenge, labels, salt };
				("reveal_labels", RuntimeCall::MeritChallenges(call))
			}
			34 | 35 => {
				("settle_deposit", RuntimeCall::MeritChallenges(C::settle_deposit { submission: self.submission() }))
			}
			36 | 37 => {
				let call = C::select_final { challenge: self.challenge(), submissions: self.ids(Self::submission) };
				("select_final", RuntimeCall::MeritChallenges(call))
			}
			38 => {
				let fresh = self.rng.chance(50);
				origin = RuntimeOrigin::signed(if fresh { evaluator(n) } else { self.account() });
				("register_evaluator", RuntimeCall::MeritScoring(S::register_evaluator { key: self.account() }))
			}
			39 => ("set_evaluator_key", RuntimeCall::MeritScoring(S::set_evaluator_key { key: self.account() })),
			40 if self.rng.chance(3) => ("unregister_evaluator", RuntimeCall::MeritScoring(S::unregister_evaluator {})),
			41 if self.rng.chance(30) => ("withdraw_bond", RuntimeCall::MeritScoring(S::withdraw_bond {})),
			42 => {
				if self.rng.chance(2) {
					origin = RuntimeOrigin::root();
				}
				("remove_evaluator", RuntimeCall::MeritScoring(S::remove_evaluator { evaluator: evaluator(n) }))
			}
			43..=54 => {
				// An evaluator's worker: its own honest commitment, or a wrong one.
				let submission = self.submission();
				let stage = self.stage_of(submission);
				let outcome = self.outcome_of(submission);
				let commitment = if self.rng.chance(80) {
					commitment(n, submission, stage, outcome)
				} else {
					H256::repeat_byte(self.rng.next() as u8)
				};
				origin = RuntimeOrigin::signed(key(n));
				("commit_report", RuntimeCall::MeritScoring(S::commit_report { submission, stage, commitment }))
			}
			55..=64 => {
				let submission = self.submission();
				let call = S::reveal_report {
					submission,
					stage: self.stage_of(submission),
					outcome: self.outcome_of(submission),
					salt: if self.rng.chance(90) { salt(n) } else { [0; 32] },
				};
				origin = RuntimeOrigin::signed(key(n));
				("reveal_report", RuntimeCall::MeritScoring(call))
			}
			65 | 66 => {
				let reason = self.rng.pick(&[AbstainReason::FetchFailed, AbstainReason::HashMismatch]);
				origin = RuntimeOrigin::signed(key(n));
				let submission = self.submission();
				let call = S::abstain { submission, stage: self.stage_of(submission), reason };
				("abstain", RuntimeCall::MeritScoring(call))
			}
			40..=41 | 67..=71 => {
				let submission = self.submission();
				let call = S::conclude_round { submission, stage: self.stage_of(submission) };
				("conclude_round", RuntimeCall::MeritScoring(call))
			}
			72 | 73 => ("dispute", RuntimeCall::MeritScoring(S::dispute { submission: self.submission() })),
			74 => {
				let key_bytes = if self.rng.chance(50) { [0u8; 32] } else { sp_io::hashing::sha2_256(&[n]) };
				origin = RuntimeOrigin::signed(key(n));
				("set_labels_key", RuntimeCall::MeritScoring(S::set_labels_key { key: key_bytes }))
			}
			75 => {
				let sealed = merit_primitives::labels::SealedLabels {
					commitment: [self.rng.next() as u8; 32],
					ciphertext: self.digest(),
					sender: [9; 32],
				};
				let call = S::deliver_labels { challenge: self.challenge(), sealed, envelopes: Default::default() };
				("deliver_labels", RuntimeCall::MeritScoring(call))
			}
			76 => {
				let call = S::prune { challenge: self.challenge(), max_submissions: self.rng.below(300) as u32 };
				("prune", RuntimeCall::MeritScoring(call))
			}
			77 | 78 => {
				let call =
					R::review { submission: self.submission(), rating: self.rng.below(7) as u8, report: self.digest() };
				("review", RuntimeCall::MeritRewards(call))
			}
			79..=83 => ("finalize", RuntimeCall::MeritRewards(R::finalize { challenge: self.challenge() })),
			84 => ("claim_refund", RuntimeCall::MeritRewards(R::claim_refund { challenge: self.challenge() })),
			85 => {
				let call = R::distribute_team_winnings { challenge: self.challenge(), team: self.account() };
				("distribute_team_winnings", RuntimeCall::MeritRewards(call))
			}
			86..=91 => {
				let (name, call) = match self.rng.below(11) {
					0 => ("create_team", T::create_team { challenge: self.challenge(), name: b"Owls".to_vec() }),
					1 => ("invite", T::invite { team: self.team(), who: self.account() }),
					2 => ("withdraw_invitation", T::withdraw_invitation { team: self.team(), who: self.account() }),
					3 => ("accept", T::accept { team: self.team() }),
					4 => ("leave", T::leave { team: self.team() }),
					5 => ("propose_shares", T::propose_shares { team: self.team(), shares: self.shares() }),
					6 => ("approve_shares", T::approve_shares { team: self.team() }),
					7 => ("release_deposit", T::release_deposit { team: self.team() }),
					8 => ("propose_merger", T::propose_merger { from: self.team(), into: self.team() }),
					9 => ("approve_merger", T::approve_merger { from: self.team() }),
					_ => ("withdraw_merger", T::withdraw_merger { from: self.team() }),
				};
				(name, RuntimeCall::MeritTeams(call))
			}
			92 => {
				let call = polkadot_sdk::pallet_balances::Call::transfer_allow_death {
					dest: self.account().into(),
					value: self.rng.amount(),
				};
				("transfer", RuntimeCall::Balances(call))
			}
			_ => {
				// The team calls again, from a member where there is one: deeper team states.
				let team = self.team();
				if let Some(record) = pallet_merit_teams::Teams::<Runtime>::get(team) {
					let members: Vec<AccountId> = record.members.iter().map(|(m, _)| m.clone()).collect();
					origin = RuntimeOrigin::signed(self.rng.pick(&members));
				}
				let (name, call) = match self.rng.below(5) {
					0 => ("invite", T::invite { team, who: self.account() }),
					1 => ("approve_shares", T::approve_shares { team }),
					2 => ("propose_merger", T::propose_merger { from: team, into: self.team() }),
					3 => ("approve_merger", T::approve_merger { from: self.team() }),
					_ => ("propose_shares", T::propose_shares { team, shares: self.shares() }),
				};
				(name, RuntimeCall::MeritTeams(call))
			}
		};
		(name, origin, call)
	}

	/// Starts the next block as a node would: Aura's slot in the digest, then the timestamp.
	fn start_block(&mut self) {
		let number = self.now() + 1;
		let slot = Slot::from(number as u64);
		let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
		let header = Header::new(number, Default::default(), Default::default(), self.parent, digest);
		Executive::initialize_block(&header);
		let minimum_period: u64 =
			<<Runtime as polkadot_sdk::pallet_timestamp::Config>::MinimumPeriod as Get<u64>>::get();
		let slot_duration = minimum_period * 2;
		let set = Timestamp::set(RuntimeOrigin::none(), number as u64 * slot_duration);
		assert!(set.is_ok(), "the timestamp inherent: {set:?}");
	}

	fn end_block(&mut self, seed: u64) {
		let header = Executive::finalize_block();
		self.parent = header.hash();
		self.tally.blocks += 1;
		let block = self.now();
		let checked = catch_unwind(AssertUnwindSafe(check_invariants));
		assert!(checked.is_ok(), "seed {seed}, block {block}: an invariant broke (message above)");
		let sum: u128 = polkadot_sdk::frame_system::Account::<Runtime>::iter()
			.map(|(_, info)| info.data.free.saturating_add(info.data.reserved))
			.sum();
		assert_eq!(Balances::total_issuance(), sum, "seed {seed}, block {block}: issuance and balances differ");
	}

	fn dispatch(&mut self, seed: u64) {
		let (name, origin, call) = self.call();
		let block = self.now();
		let described = format!("{call:?}");
		let result = catch_unwind(AssertUnwindSafe(|| call.dispatch(origin)))
			.unwrap_or_else(|_| panic!("seed {seed}, block {block}: {name} panicked: {described}"));
		self.tally.calls += 1;
		match result {
			Ok(_) => *self.tally.succeeded.entry(name).or_default() += 1,
			Err(e) => {
				let reason = match e.error {
					DispatchError::Module(m) => m.message.unwrap_or("?").to_string(),
					other => format!("{other:?}"),
				};
				*self.tally.refused.entry(reason).or_default() += 1;
			}
		}
	}
}

/// One run: the setup a live chain would have, then `calls` random calls in blocks of up to eight,
/// with quiet stretches that let schedules (closes, reveal deadlines, draws, rounds) pass.
fn run(seed: u64, calls: u64) -> Tally {
	let mut ext = genesis();
	ext.execute_with(|| {
		bond_evaluators(1..=EVALUATORS);
		// Two challenges open from the start (teams of up to three), so the calls have targets.
		for open_for in [300, 1_500] {
			let mut params = params(3, SubmissionMode::Open, now() + open_for, now() + open_for + 200);
			params.teams = merit_primitives::TeamRules { max_size: 3, merge_until: now() + open_for };
			publish_with(params);
		}
		let mut fuzzer = Fuzzer { rng: Rng(seed), signers: signers(), parent: H256::zero(), tally: Tally::default() };
		while fuzzer.tally.calls < calls {
			fuzzer.start_block();
			for _ in 0..fuzzer.rng.below(13) {
				fuzzer.dispatch(seed);
			}
			fuzzer.end_block(seed);
			if fuzzer.rng.chance(3) {
				for _ in 0..fuzzer.rng.below(30) {
					fuzzer.start_block();
					fuzzer.end_block(seed);
				}
			}
		}
		fuzzer.tally
	})
}

#[test]
fn random_calls_from_many_origins_never_panic_or_break_an_invariant() {
	let calls: u64 = std::env::var("MERIT_FUZZ_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000);
	let seed: u64 = std::env::var("MERIT_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
	let tally = run(seed, calls);
	let succeeded: u64 = tally.succeeded.values().sum();
	println!(
		"fuzz seed {seed}: {} calls in {} blocks, {succeeded} succeeded ({} kinds), {} refused ({} distinct errors), 0 panics, 0 broken invariants",
		tally.calls,
		tally.blocks,
		tally.succeeded.len(),
		tally.calls - succeeded,
		tally.refused.len(),
	);
	println!("succeeded: {:?}", tally.succeeded);
	println!("refused: {:?}", tally.refused);
	// A fuzzer that only ever hits the first check of each call proves little: the run must reach
	// the calls' effects too. The default run (CI's) must reach the whole scoring path; any seed,
	// a good share of the calls.
	let reached: BTreeSet<&str> = tally.succeeded.keys().copied().collect();
	if std::env::var("MERIT_FUZZ_SEED").is_err() {
		for must in ["register", "create_challenge", "submit", "commit_report", "reveal_report", "conclude_round"] {
			assert!(reached.contains(must), "no {must} succeeded in {} calls: {:?}", tally.calls, tally.succeeded);
		}
	}
	assert!(reached.len() >= 15, "only {} kinds of call succeeded: {reached:?}", reached.len());
}
