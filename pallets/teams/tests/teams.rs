//! Every rule of the teams pallet through the real pallets: a team competes as one entrant
//! (limits, final selections, leaderboards), its prize and fork credit go to its account and are
//! shared by the shares its members agreed to (`MeritRewards::distribute_team_winnings`), teammates count as the author for every conflict of interest, and each member's track
//! record shows the team's result and its share.
use merit_primitives::{ArtifactKind, ChallengeId, Digest, SubmissionId, TeamId, TeamRules};
use merit_test_runtime::{evaluation::*, *};
use pallet_merit_challenges::{
	ChallengeParams, ChallengeParamsOf, DescriptionInput, Metric, Schedule, SubmissionLimits, SubmissionMode,
};
use pallet_merit_rewards::{Earnings, Outcome, RewardKind, RewardTerms, Score, Subset};
use pallet_merit_scoring::Stage;
use pallet_merit_teams::{
	Error, Event, HoldReason, Invitations, MemberTeams, MergerProposals, ShareProposals, TeamOf, Teams,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold},
	},
	sp_runtime::{DispatchResult, Perbill},
};

const OWNER: u8 = 1;
const ALICE: u8 = 2;
const BOB: u8 = 3;
const CAROL: u8 = 4;
const DAVE: u8 = 5;
const EVE: u8 = 6;
const SALT: &[u8] = b"owner-salt";
const TRAIN: u8 = 0x10;
const LABELS: u8 = 0x20;
const OPEN_UNTIL: u64 = 20;
const MERGE_UNTIL: u64 = 15;
const POOL: u64 = 1_000;
/// The test runtime's `TeamDeposit`.
const DEPOSIT: u64 = 50;

fn d(n: u8) -> Digest {
	Digest::repeat_byte(n)
}

fn register(owner: u8, digest: Digest, kind: ArtifactKind) {
	assert_ok!(MeritArtifacts::register(
		RuntimeOrigin::signed(account(owner)),
		digest,
		kind,
		10,
		b"https://store/x".to_vec(),
		b"MIT".to_vec(),
		vec![]
	));
}

/// A challenge allowing teams of `max_size` until `MERGE_UNTIL`, five submissions per entrant,
/// the whole pool to rank 1, fork credit on.
fn params(max_size: u32) -> ChallengeParamsOf<Test> {
	ChallengeParams {
		title: b"House prices".to_vec(),
		description: DescriptionInput::Text(b"Predict the sale price.".to_vec()),
		training_data: vec![d(TRAIN)],
		metric: Metric::Mae,
		labels_commitment: MeritChallenges::labels_commitment(&d(LABELS), SALT),
		public_share: Perbill::from_percent(50),
		schedule: Schedule { open_until: OPEN_UNTIL, reveal_deadline: 40 },
		limits: SubmissionLimits { per_day: 5, total: 5 },
		reward_shares: vec![Perbill::one()],
		terms: RewardTerms { fork_share: Perbill::from_percent(50), fork_depth: 1, ..Default::default() },
		quorum: 3,
		prize_pool: POOL,
		mode: SubmissionMode::Open,
		final_selections: 2,
		teams: TeamRules { max_size, merge_until: MERGE_UNTIL },
		previous_phase: None,
	}
}

/// Runs `test` with the training data registered and evaluators 1 to 4 warmed up, then every
/// pallet's invariants.
fn world(test: impl FnOnce()) {
	build_and_execute(|| {
		register(OWNER, d(TRAIN), ArtifactKind::Dataset);
		register_evaluators(1..=4);
		test();
	});
}

fn create(max_size: u32) -> ChallengeId {
	let id = pallet_merit_challenges::NextChallengeId::<Test>::get();
	assert_ok!(MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), params(max_size)));
	draw(id);
	id
}

fn submit(who: u8, challenge: ChallengeId, tag: u8, parents: Vec<SubmissionId>) -> DispatchResult {
	register(who, d(tag), ArtifactKind::Predictions);
	MeritChallenges::submit(RuntimeOrigin::signed(account(who)), challenge, claim(d(tag)), parents, None)
}

fn submitted(who: u8, challenge: ChallengeId, tag: u8) -> SubmissionId {
	let id = pallet_merit_challenges::NextSubmissionId::<Test>::get();
	assert_ok!(submit(who, challenge, tag, vec![]));
	id
}

fn team_create(who: u8, challenge: ChallengeId) -> TeamId {
	let id = pallet_merit_teams::NextTeamId::<Test>::get();
	assert_ok!(MeritTeams::create_team(RuntimeOrigin::signed(account(who)), challenge, b"Owls".to_vec()));
	id
}

fn invite(captain: u8, team: TeamId, who: u8) -> DispatchResult {
	MeritTeams::invite(RuntimeOrigin::signed(account(captain)), team, account(who))
}

fn accept(who: u8, team: TeamId) -> DispatchResult {
	MeritTeams::accept(RuntimeOrigin::signed(account(who)), team)
}

/// `captain`'s team with `members` joined.
fn team_of(captain: u8, challenge: ChallengeId, members: &[u8]) -> TeamId {
	let team = team_create(captain, challenge);
	for m in members {
		assert_ok!(invite(captain, team, *m));
		assert_ok!(accept(*m, team));
	}
	team
}

fn team_account(team: TeamId) -> AccountId {
	Teams::<Test>::get(team).expect("team exists").account
}

fn shares(team: TeamId) -> Vec<(AccountId, Perbill)> {
	Teams::<Test>::get(team).expect("team exists").members.into_inner()
}

fn propose(who: u8, team: TeamId, shares: &[(u8, u32)]) -> DispatchResult {
	let shares = shares.iter().map(|(m, p)| (account(*m), Perbill::from_percent(*p))).collect();
	MeritTeams::propose_shares(RuntimeOrigin::signed(account(who)), team, shares)
}

fn approve(who: u8, team: TeamId) -> DispatchResult {
	MeritTeams::approve_shares(RuntimeOrigin::signed(account(who)), team)
}

fn scored(score: u128) -> Outcome {
	Outcome::Scored(Score::from_parts(score))
}

fn close_and_reveal(challenge: ChallengeId) {
	run_to_block(OPEN_UNTIL);
	register(OWNER, d(LABELS), ArtifactKind::Labels);
	assert_ok!(MeritChallenges::reveal_labels(
		RuntimeOrigin::signed(account(OWNER)),
		challenge,
		claim(d(LABELS)),
		SALT.to_vec()
	));
}

// ---- forming a team ----

#[test]
fn a_team_forms_by_invitation_and_competes_as_one_entrant() {
	world(|| {
		let c = create(3);
		let team = team_create(ALICE, c);
		let account_of_team = team_account(team);
		System::assert_last_event(
			Event::TeamCreated { team, challenge: c, account: account_of_team.clone(), captain: account(ALICE) }.into(),
		);
		assert_eq!(Balances::balance_on_hold(&HoldReason::TeamDeposit.into(), &account(ALICE)), DEPOSIT);
		assert_eq!(shares(team), vec![(account(ALICE), Perbill::one())]);
		assert_ok!(invite(ALICE, team, BOB));
		assert!(Invitations::<Test>::contains_key(team, account(BOB)));
		assert_ok!(accept(BOB, team));
		System::assert_last_event(Event::Joined { team, who: account(BOB), submissions: 0 }.into());
		// The newcomer joins with 0%: nobody's share changed without their consent.
		assert_eq!(shares(team), vec![(account(ALICE), Perbill::one()), (account(BOB), Perbill::zero())]);
		assert_eq!(TeamOf::<Test>::get(c, account(BOB)), Some(team));

		// Both submit as the team: one entrant, one set of limits, one line on the board.
		let a = submitted(ALICE, c, 0x41);
		let b = submitted(BOB, c, 0x42);
		let carol = submitted(CAROL, c, 0x43);
		assert_eq!(pallet_merit_challenges::Participations::<Test>::get(c, &account_of_team).unwrap().total, 2);
		assert!(pallet_merit_challenges::Participations::<Test>::get(c, account(ALICE)).is_none());
		assert_eq!(pallet_merit_challenges::ChallengeStatuses::<Test>::get(c).unwrap().participants, 2);
		agree(a, Stage::Public, scored(30));
		agree(b, Stage::Public, scored(10));
		agree(carol, Stage::Public, scored(20));
		let board = MeritScoring::leaderboard(c, Subset::Public);
		assert_eq!(
			board.iter().map(|e| (e.author.clone(), e.submission)).collect::<Vec<_>>(),
			vec![(account_of_team.clone(), b), (account(CAROL), carol)]
		);
		// Either member marks the team's final selections; a member cannot mark another entrant's.
		assert_ok!(MeritChallenges::select_final(RuntimeOrigin::signed(account(ALICE)), c, vec![b]));
		assert_eq!(pallet_merit_challenges::FinalSelections::<Test>::get(c, &account_of_team).into_inner(), vec![b]);
		assert_noop!(
			MeritChallenges::select_final(RuntimeOrigin::signed(account(BOB)), c, vec![carol]),
			pallet_merit_challenges::Error::<Test>::NotAuthor
		);
	});
}

#[test]
fn teams_reject_each_bad_input_by_name() {
	world(|| {
		let solo = create(1);
		assert_noop!(
			MeritTeams::create_team(RuntimeOrigin::signed(account(ALICE)), solo, b"Owls".to_vec()),
			Error::<Test>::TeamsNotAllowed
		);
		let c = create(3);
		assert_noop!(
			MeritTeams::create_team(RuntimeOrigin::signed(account(ALICE)), 99, b"Owls".to_vec()),
			Error::<Test>::UnknownChallenge
		);
		assert_noop!(MeritTeams::create_team(RuntimeOrigin::signed(account(ALICE)), c, vec![]), Error::<Test>::BadName);
		assert_noop!(
			MeritTeams::create_team(RuntimeOrigin::signed(account(ALICE)), c, vec![b'x'; 17]),
			Error::<Test>::BadName
		);
		let team = team_create(ALICE, c);
		// A member cannot be in two teams of the same challenge.
		assert_noop!(
			MeritTeams::create_team(RuntimeOrigin::signed(account(ALICE)), c, b"Larks".to_vec()),
			Error::<Test>::AlreadyInTeam
		);
		let other = team_create(CAROL, c);
		assert_ok!(invite(CAROL, other, ALICE));
		assert_noop!(accept(ALICE, other), Error::<Test>::AlreadyInTeam);
		assert_noop!(invite(BOB, team, DAVE), Error::<Test>::NotCaptain);
		assert_noop!(invite(ALICE, 99, DAVE), Error::<Test>::UnknownTeam);
		assert_noop!(invite(ALICE, team, ALICE), Error::<Test>::AlreadyInTeam);
		assert_ok!(invite(ALICE, team, BOB));
		assert_noop!(invite(ALICE, team, BOB), Error::<Test>::AlreadyInvited);
		assert_ok!(invite(ALICE, team, DAVE));
		// Two invitations pending fill a team of three.
		assert_noop!(invite(ALICE, team, EVE), Error::<Test>::TeamFull);
		assert_noop!(accept(EVE, team), Error::<Test>::NotInvited);
		assert_noop!(
			MeritTeams::withdraw_invitation(RuntimeOrigin::signed(account(EVE)), team, account(DAVE)),
			Error::<Test>::NotCaptain
		);
		// The invited account declines; its place is free again.
		assert_ok!(MeritTeams::withdraw_invitation(RuntimeOrigin::signed(account(DAVE)), team, account(DAVE)));
		assert_ok!(invite(ALICE, team, EVE));
		assert_noop!(MeritTeams::leave(RuntimeOrigin::signed(account(EVE)), team), Error::<Test>::NotMember);
		assert_ok!(accept(BOB, team));
		assert_noop!(MeritTeams::leave(RuntimeOrigin::signed(account(ALICE)), team), Error::<Test>::CaptainLeavesLast);
		// Shares: every member once, summing to exactly 100%.
		assert_noop!(propose(ALICE, team, &[(ALICE, 50)]), Error::<Test>::BadShares);
		assert_noop!(propose(ALICE, team, &[(ALICE, 50), (ALICE, 50)]), Error::<Test>::BadShares);
		assert_noop!(propose(ALICE, team, &[(ALICE, 50), (CAROL, 50)]), Error::<Test>::BadShares);
		assert_noop!(propose(ALICE, team, &[(ALICE, 50), (BOB, 49)]), Error::<Test>::BadShares);
		assert_noop!(propose(CAROL, team, &[(ALICE, 50), (BOB, 50)]), Error::<Test>::NotMember);
		assert_noop!(approve(BOB, team), Error::<Test>::NoShareProposal);
		assert_ok!(propose(ALICE, team, &[(ALICE, 50), (BOB, 50)]));
		assert_noop!(approve(ALICE, team), Error::<Test>::AlreadyApproved);
		assert_noop!(
			MeritTeams::release_deposit(RuntimeOrigin::signed(account(ALICE)), team),
			Error::<Test>::DepositNotDue
		);
		// After the merge deadline teams neither form nor grow.
		run_to_block(MERGE_UNTIL);
		assert_noop!(accept(EVE, team), Error::<Test>::MergeDeadlinePassed);
		assert_noop!(invite(ALICE, team, DAVE), Error::<Test>::MergeDeadlinePassed);
		assert_noop!(
			MeritTeams::create_team(RuntimeOrigin::signed(account(DAVE)), c, b"Late".to_vec()),
			Error::<Test>::MergeDeadlinePassed
		);
	});
}

#[test]
fn the_owners_team_rules_are_checked_at_publication() {
	world(|| {
		let mut too_large = params(5);
		too_large.teams.max_size = 5; // the test runtime's MaxTeamSize is 4
		assert_noop!(
			MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), too_large),
			pallet_merit_challenges::Error::<Test>::BadTeamRules
		);
		let mut late = params(3);
		late.teams.merge_until = OPEN_UNTIL + 1;
		assert_noop!(
			MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), late),
			pallet_merit_challenges::Error::<Test>::BadTeamRules
		);
		let mut none = params(3);
		none.teams.max_size = 0;
		assert_noop!(
			MeritChallenges::create_challenge(RuntimeOrigin::signed(account(OWNER)), none),
			pallet_merit_challenges::Error::<Test>::BadTeamRules
		);
	});
}

// ---- mergers ----

fn propose_merger(who: u8, from: TeamId, into: TeamId) -> DispatchResult {
	MeritTeams::propose_merger(RuntimeOrigin::signed(account(who)), from, into)
}

fn approve_merger(who: u8, from: TeamId) -> DispatchResult {
	MeritTeams::approve_merger(RuntimeOrigin::signed(account(who)), from)
}

#[test]
fn two_teams_merge_once_every_member_of_both_approves_and_shares_scale_by_headcount() {
	world(|| {
		let c = create(4);
		let owls = team_of(ALICE, c, &[BOB]);
		assert_ok!(propose(ALICE, owls, &[(ALICE, 70), (BOB, 30)]));
		assert_ok!(approve(BOB, owls));
		let larks = team_create(CAROL, c);
		let owls_account = team_account(owls);
		let larks_account = team_account(larks);
		submitted(ALICE, c, 0x41);
		submitted(BOB, c, 0x42);
		let carols = submitted(CAROL, c, 0x43);
		assert_ok!(MeritChallenges::select_final(RuntimeOrigin::signed(account(CAROL)), c, vec![carols]));
		assert_eq!(pallet_merit_challenges::ChallengeStatuses::<Test>::get(c).unwrap().participants, 2);

		assert_ok!(propose_merger(CAROL, larks, owls));
		System::assert_last_event(Event::MergerProposed { from: larks, into: owls, by: account(CAROL) }.into());
		assert_ok!(approve_merger(ALICE, larks));
		System::assert_last_event(Event::MergerApproved { from: larks, into: owls, by: account(ALICE) }.into());
		// Two of three approvals: nothing has moved yet.
		assert_eq!(TeamOf::<Test>::get(c, account(CAROL)), Some(larks));
		assert_ok!(approve_merger(BOB, larks));

		// Owls keep 2/3 of the whole, split 70:30 as before; Carol brings 1/3. Alice, the
		// captain, takes the rounding so the shares sum to exactly 100%.
		let merged = vec![
			(account(ALICE), Perbill::from_parts(466_666_667)),
			(account(BOB), Perbill::from_parts(200_000_000)),
			(account(CAROL), Perbill::from_parts(333_333_333)),
		];
		assert_eq!(shares(owls), merged);
		System::assert_has_event(
			Event::TeamsMerged { from: larks, into: owls, members: 1, submissions: 1, shares: merged }.into(),
		);
		System::assert_last_event(
			Event::DepositReleased { team: larks, captain: account(CAROL), amount: DEPOSIT }.into(),
		);
		assert!(!Teams::<Test>::contains_key(larks));
		assert!(!MergerProposals::<Test>::contains_key(larks));
		assert_eq!(Balances::balance_on_hold(&HoldReason::TeamDeposit.into(), &account(CAROL)), 0);
		assert_eq!(TeamOf::<Test>::get(c, account(CAROL)), Some(owls));
		assert_eq!(MemberTeams::<Test>::get(account(CAROL), owls), Some(c));
		assert!(!MemberTeams::<Test>::contains_key(account(CAROL), larks));
		// Carol's submission is the Owls' now: one entrant, one set of limits, Carol's marks gone.
		assert_eq!(pallet_merit_challenges::Participations::<Test>::get(c, &owls_account).unwrap().total, 3);
		assert!(pallet_merit_challenges::Participations::<Test>::get(c, &larks_account).is_none());
		assert!(!pallet_merit_challenges::FinalSelections::<Test>::contains_key(c, &larks_account));
		assert_eq!(pallet_merit_challenges::ChallengeStatuses::<Test>::get(c).unwrap().participants, 1);
		agree(carols, Stage::Public, scored(10));
		let board = MeritScoring::leaderboard(c, Subset::Public);
		assert_eq!(
			board.iter().map(|e| (e.author.clone(), e.submission)).collect::<Vec<_>>(),
			vec![(owls_account, carols)]
		);
		// Carol is an Owl for every rule now, marks included.
		assert_ok!(MeritChallenges::select_final(RuntimeOrigin::signed(account(CAROL)), c, vec![carols]));
	});
}

#[test]
fn mergers_reject_each_bad_input_by_name() {
	world(|| {
		let c = create(3);
		let other = create(3);
		let owls = team_of(ALICE, c, &[BOB]);
		let larks = team_create(CAROL, c);
		let elsewhere = team_create(DAVE, other);
		assert_noop!(propose_merger(CAROL, larks, larks), Error::<Test>::SameTeam);
		assert_noop!(propose_merger(CAROL, larks, 99), Error::<Test>::UnknownTeam);
		assert_noop!(propose_merger(CAROL, 99, owls), Error::<Test>::UnknownTeam);
		// Only a member of the team giving up its name proposes.
		assert_noop!(propose_merger(ALICE, larks, owls), Error::<Test>::NotMember);
		assert_noop!(propose_merger(DAVE, elsewhere, larks), Error::<Test>::TeamOfAnotherChallenge);
		// Owls' pending invitation counts: 2 + 1 + 1 exceed the challenge's teams of three.
		assert_ok!(invite(ALICE, owls, EVE));
		assert_noop!(propose_merger(CAROL, larks, owls), Error::<Test>::TeamFull);
		assert_ok!(MeritTeams::withdraw_invitation(RuntimeOrigin::signed(account(EVE)), owls, account(EVE)));
		assert_noop!(approve_merger(ALICE, larks), Error::<Test>::NoMergerProposal);
		assert_ok!(propose_merger(CAROL, larks, owls));
		assert_noop!(approve_merger(CAROL, larks), Error::<Test>::AlreadyApproved);
		assert_noop!(approve_merger(EVE, larks), Error::<Test>::NotMemberOfEither);
		assert_noop!(
			MeritTeams::withdraw_merger(RuntimeOrigin::signed(account(EVE)), larks),
			Error::<Test>::NotMemberOfEither
		);
		// A member of the other team declines: the proposal is gone.
		assert_ok!(MeritTeams::withdraw_merger(RuntimeOrigin::signed(account(BOB)), larks));
		System::assert_last_event(Event::MergerWithdrawn { from: larks, into: owls, by: account(BOB) }.into());
		assert_noop!(approve_merger(ALICE, larks), Error::<Test>::NoMergerProposal);
		// After the merge deadline no merger is proposed or completed.
		assert_ok!(propose_merger(CAROL, larks, owls));
		assert_ok!(approve_merger(ALICE, larks));
		run_to_block(MERGE_UNTIL);
		assert_noop!(approve_merger(BOB, larks), Error::<Test>::MergeDeadlinePassed);
		assert_noop!(propose_merger(CAROL, larks, owls), Error::<Test>::MergeDeadlinePassed);
	});
}

#[test]
fn a_merger_whose_combined_submissions_exceed_the_limits_is_refused_at_the_last_approval() {
	world(|| {
		let c = create(4);
		let owls = team_of(ALICE, c, &[BOB]);
		let larks = team_create(CAROL, c);
		for tag in 0x41..0x44 {
			submitted(ALICE, c, tag);
		}
		for tag in 0x51..0x54 {
			submitted(CAROL, c, tag);
		}
		assert_ok!(propose_merger(CAROL, larks, owls));
		assert_ok!(approve_merger(ALICE, larks));
		// 3 + 3 submissions exceed the total of 5: the approval that would merge them fails.
		assert_noop!(approve_merger(BOB, larks), pallet_merit_challenges::Error::<Test>::TotalLimitReached);
		assert_eq!(TeamOf::<Test>::get(c, account(CAROL)), Some(larks));
		assert!(MergerProposals::<Test>::contains_key(larks));
	});
}

#[test]
fn nobody_is_merged_without_consent_a_newcomer_must_approve_and_a_leaver_takes_its_approval_along() {
	world(|| {
		let c = create(4);
		let owls = team_create(ALICE, c);
		let larks = team_of(CAROL, c, &[EVE]);
		assert_ok!(propose_merger(EVE, larks, owls));
		assert_ok!(approve_merger(CAROL, larks));
		// A member joins the Owls while the merger is pending: Alice's approval alone no longer
		// completes it, the newcomer must approve too.
		assert_ok!(invite(ALICE, owls, BOB));
		assert_ok!(accept(BOB, owls));
		assert_ok!(approve_merger(ALICE, larks));
		assert!(Teams::<Test>::contains_key(larks));
		// Eve, who proposed, leaves the Larks before it completes: her approval goes with her,
		// and she is not merged.
		assert_ok!(MeritTeams::leave(RuntimeOrigin::signed(account(EVE)), larks));
		assert_eq!(
			MergerProposals::<Test>::get(larks).map(|p| p.approvals.into_inner()),
			Some(vec![account(EVE), account(CAROL), account(ALICE)])
		);
		assert_ok!(approve_merger(BOB, larks));
		System::assert_has_event(
			Event::TeamsMerged {
				from: larks,
				into: owls,
				members: 1,
				submissions: 0,
				shares: vec![
					(account(ALICE), Perbill::from_parts(666_666_667)),
					(account(BOB), Perbill::zero()),
					(account(CAROL), Perbill::from_parts(333_333_333)),
				],
			}
			.into(),
		);
		assert_eq!(TeamOf::<Test>::get(c, account(EVE)), None);
		assert_eq!(TeamOf::<Test>::get(c, account(CAROL)), Some(owls));
	});
}

#[test]
fn a_participant_joins_with_its_submissions_only_if_the_combined_ones_fit_the_limits() {
	world(|| {
		let c = create(4);
		let team = team_create(ALICE, c);
		for tag in 0x41..0x44 {
			submitted(ALICE, c, tag);
		}
		for tag in 0x51..0x54 {
			submitted(BOB, c, tag);
		}
		submitted(CAROL, c, 0x61);
		assert_eq!(pallet_merit_challenges::ChallengeStatuses::<Test>::get(c).unwrap().participants, 3);
		assert_ok!(MeritChallenges::select_final(RuntimeOrigin::signed(account(CAROL)), c, vec![6]));
		// 3 + 3 submissions exceed the total of 5 (and today's 5).
		assert_ok!(invite(ALICE, team, BOB));
		assert_noop!(accept(BOB, team), pallet_merit_challenges::Error::<Test>::TotalLimitReached);
		// Carol's one fits: her submission is the team's now, her marks are dropped.
		assert_ok!(invite(ALICE, team, CAROL));
		assert_ok!(accept(CAROL, team));
		System::assert_last_event(Event::Joined { team, who: account(CAROL), submissions: 1 }.into());
		let entrant = team_account(team);
		assert_eq!(pallet_merit_challenges::Participations::<Test>::get(c, &entrant).unwrap().total, 4);
		assert!(pallet_merit_challenges::Participations::<Test>::get(c, account(CAROL)).is_none());
		assert!(!pallet_merit_challenges::FinalSelections::<Test>::contains_key(c, account(CAROL)));
		assert_eq!(pallet_merit_challenges::ChallengeStatuses::<Test>::get(c).unwrap().participants, 2);
		// One place left for the whole team.
		submitted(CAROL, c, 0x62);
		register(ALICE, d(0x44), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(account(ALICE)), c, claim(d(0x44)), vec![], None),
			pallet_merit_challenges::Error::<Test>::TotalLimitReached
		);
		// A team that has submitted keeps its members.
		assert_noop!(MeritTeams::leave(RuntimeOrigin::signed(account(CAROL)), team), Error::<Test>::TeamHasSubmissions);
	});
}

/// The kept public board follows entrants into teams (issue 15): a newcomer's entry becomes the
/// team's when it beats the team's, and simply goes when it does not.
#[test]
fn scores_made_final_before_joining_move_onto_the_teams_line_of_the_board() {
	world(|| {
		let c = create(4);
		let team = team_create(ALICE, c);
		let teams = submitted(ALICE, c, 0x41);
		let bobs = submitted(BOB, c, 0x51);
		let carols = submitted(CAROL, c, 0x61);
		agree(teams, Stage::Public, scored(30));
		agree(bobs, Stage::Public, scored(10));
		agree(carols, Stage::Public, scored(40));
		let entrant = team_account(team);
		let line = || {
			MeritScoring::leaderboard(c, Subset::Public)
				.into_iter()
				.map(|e| (e.rank, e.author, e.submission))
				.collect::<Vec<_>>()
		};
		assert_eq!(line(), vec![(1, account(BOB), bobs), (2, entrant.clone(), teams), (3, account(CAROL), carols)]);
		assert_ok!(invite(ALICE, team, BOB));
		assert_ok!(accept(BOB, team));
		assert_eq!(line(), vec![(1, entrant.clone(), bobs), (2, account(CAROL), carols)]);
		assert_ok!(invite(ALICE, team, CAROL));
		assert_ok!(accept(CAROL, team));
		assert_eq!(line(), vec![(1, entrant.clone(), bobs)]);
		assert_eq!(
			MeritScoring::placement(c, Subset::Public, &entrant).map(|(e, of)| (e.rank, e.submission, of)),
			Some((1, bobs, 1))
		);
		assert_eq!(MeritScoring::placement(c, Subset::Public, &account(CAROL)), None);
	});
}

// ---- shares ----

#[test]
fn shares_change_only_with_every_members_approval_and_a_leaver_frees_its_share() {
	world(|| {
		let c = create(4);
		let team = team_of(ALICE, c, &[BOB, CAROL]);
		assert_ok!(propose(BOB, team, &[(ALICE, 50), (BOB, 30), (CAROL, 20)]));
		assert!(ShareProposals::<Test>::contains_key(team));
		assert_ok!(approve(ALICE, team));
		// Not yet: Carol has not approved.
		assert_eq!(shares(team)[0].1, Perbill::one());
		assert_ok!(approve(CAROL, team));
		let agreed = vec![
			(account(ALICE), Perbill::from_percent(50)),
			(account(BOB), Perbill::from_percent(30)),
			(account(CAROL), Perbill::from_percent(20)),
		];
		System::assert_last_event(Event::SharesAgreed { team, shares: agreed.clone() }.into());
		assert_eq!(shares(team), agreed);
		assert!(!ShareProposals::<Test>::contains_key(team));
		// A pending proposal is dropped when someone joins: it did not name the newcomer.
		assert_ok!(propose(ALICE, team, &[(ALICE, 40), (BOB, 40), (CAROL, 20)]));
		assert_ok!(invite(ALICE, team, DAVE));
		assert_ok!(accept(DAVE, team));
		assert!(!ShareProposals::<Test>::contains_key(team));
		// Bob leaves before the team submitted: his 30% goes to the others in proportion.
		assert_ok!(MeritTeams::leave(RuntimeOrigin::signed(account(BOB)), team));
		System::assert_last_event(Event::Left { team, who: account(BOB) }.into());
		assert_eq!(
			shares(team),
			vec![
				(account(ALICE), Perbill::from_parts(714_285_715)),
				(account(CAROL), Perbill::from_parts(285_714_285)),
				(account(DAVE), Perbill::zero()),
			]
		);
		assert_eq!(TeamOf::<Test>::get(c, account(BOB)), None);
	});
}

#[test]
fn the_last_member_leaving_dissolves_the_team_and_returns_the_deposit() {
	world(|| {
		let c = create(3);
		let team = team_create(ALICE, c);
		assert_ok!(invite(ALICE, team, BOB));
		let entrant = team_account(team);
		assert_ok!(MeritTeams::leave(RuntimeOrigin::signed(account(ALICE)), team));
		System::assert_has_event(Event::Dissolved { team }.into());
		assert!(Teams::<Test>::get(team).is_none());
		assert!(!Invitations::<Test>::contains_key(team, account(BOB)));
		assert!(pallet_merit_teams::TeamByAccount::<Test>::get(&entrant).is_none());
		assert_eq!(Balances::balance_on_hold(&HoldReason::TeamDeposit.into(), &account(ALICE)), 0);
		// Alice competes alone again.
		assert_ok!(submit(ALICE, c, 0x41, vec![]));
		assert!(pallet_merit_challenges::Participations::<Test>::get(c, account(ALICE)).is_some());
	});
}

#[test]
fn a_team_that_never_submitted_is_dissolved_when_its_deposit_is_released() {
	world(|| {
		let c = create(3);
		let team = team_of(ALICE, c, &[BOB]);
		let entrant = team_account(team);
		assert_noop!(
			MeritTeams::release_deposit(RuntimeOrigin::signed(account(EVE)), team),
			Error::<Test>::DepositNotDue
		);
		// Nobody submitted: the owner withdraws the challenge.
		assert_ok!(MeritChallenges::cancel_challenge(RuntimeOrigin::signed(account(OWNER)), c));
		assert_ok!(MeritTeams::release_deposit(RuntimeOrigin::signed(account(EVE)), team));
		System::assert_has_event(Event::Dissolved { team }.into());
		assert!(Teams::<Test>::get(team).is_none());
		assert_eq!(TeamOf::<Test>::get(c, account(BOB)), None);
		assert!(pallet_merit_teams::TeamByAccount::<Test>::get(&entrant).is_none());
		assert_eq!(Balances::balance_on_hold(&HoldReason::TeamDeposit.into(), &account(ALICE)), 0);
		assert!(MeritRewards::track_record(account(BOB)).challenges.is_empty());
	});
}

// ---- conflicts of interest ----

#[test]
fn teammates_count_as_the_author_for_evaluation_review_and_fork_credit() {
	world(|| {
		let c = create(3);
		let team = team_create(ALICE, c);
		let a = submitted(ALICE, c, 0x41);
		// Forking a teammate's work earns no fork credit: it is the team's own.
		assert_ok!(invite(ALICE, team, BOB));
		assert_ok!(accept(BOB, team));
		register(BOB, d(0x42), ArtifactKind::Predictions);
		assert_noop!(
			MeritChallenges::submit(RuntimeOrigin::signed(account(BOB)), c, claim(d(0x42)), vec![a], None),
			pallet_merit_challenges::Error::<Test>::ParentIsOwnSubmission
		);
		// An evaluator in the team cannot evaluate the team's submission.
		let members = panel(c);
		let insider = members[0];
		assert_ok!(MeritTeams::invite(RuntimeOrigin::signed(account(ALICE)), team, ev(insider)));
		assert_ok!(MeritTeams::accept(RuntimeOrigin::signed(ev(insider)), team));
		assert_eq!(
			commit(insider, a, Stage::Public, scored(10)),
			err(pallet_merit_scoring::Error::<Test>::OwnSubmission)
		);
		// The others still make a quorum of three.
		agree(a, Stage::Public, scored(10));
		// A teammate's review earns nothing either.
		run_to_block(OPEN_UNTIL);
		register(BOB, d(0x70), ArtifactKind::Report);
		assert_noop!(
			MeritRewards::review(RuntimeOrigin::signed(account(BOB)), a, 5, d(0x70)),
			pallet_merit_rewards::Error::<Test>::OwnSubmission
		);
	});
}

// ---- prizes and track records ----

#[test]
fn the_prize_is_split_by_the_agreed_shares_and_every_record_shows_the_team_and_the_share() {
	world(|| {
		let c = create(3);
		let team = team_of(ALICE, c, &[BOB]);
		assert_ok!(propose(ALICE, team, &[(ALICE, 60), (BOB, 40)]));
		assert_ok!(approve(BOB, team));
		let a = submitted(ALICE, c, 0x41);
		let carol = submitted(CAROL, c, 0x43);
		agree(a, Stage::Public, scored(10));
		agree(carol, Stage::Public, scored(20));
		close_and_reveal(c);
		agree(a, Stage::Private, scored(10));
		agree(carol, Stage::Private, scored(20));
		run_to_block(System::block_number() + DISPUTE_WINDOW);
		let (alice_before, bob_before) = (Balances::balance(&account(ALICE)), Balances::balance(&account(BOB)));
		assert_noop!(
			MeritRewards::distribute_team_winnings(RuntimeOrigin::signed(account(EVE)), c, team_account(team)),
			pallet_merit_rewards::Error::<Test>::NotFinalized
		);
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(account(EVE)), c));
		// The team won the whole pool, paid to its account in one payment.
		let entrant = team_account(team);
		assert_eq!(Balances::balance(&entrant), POOL);
		assert_noop!(
			MeritRewards::distribute_team_winnings(RuntimeOrigin::signed(account(EVE)), c, account(CAROL)),
			pallet_merit_rewards::Error::<Test>::NotATeam
		);
		// Anyone shares it out: Alice and Bob get 60% and 40% of it.
		assert_ok!(MeritRewards::distribute_team_winnings(RuntimeOrigin::signed(account(EVE)), c, entrant.clone()));
		assert_noop!(
			MeritRewards::distribute_team_winnings(RuntimeOrigin::signed(account(EVE)), c, entrant.clone()),
			pallet_merit_rewards::Error::<Test>::AlreadyDistributed
		);
		assert_eq!(Balances::balance(&entrant), 0);
		assert_eq!(Balances::balance(&account(ALICE)) - alice_before, 600);
		assert_eq!(Balances::balance(&account(BOB)) - bob_before, 400);
		assert_eq!(Earnings::<Test>::get(account(BOB), c).prizes, 400);
		System::assert_has_event(
			pallet_merit_rewards::Event::RewardPaid {
				challenge: c,
				to: entrant.clone(),
				kind: RewardKind::Prize { rank: 1 },
				amount: POOL,
			}
			.into(),
		);
		System::assert_has_event(
			pallet_merit_rewards::Event::TeamSharePaid {
				challenge: c,
				team: entrant,
				member: account(BOB),
				amount: 400,
			}
			.into(),
		);
		// Bob never submitted himself; his record shows the team's first place and his share.
		let record = MeritRewards::track_record(account(BOB));
		let entry = record.challenges.iter().find(|e| e.challenge == c).expect("the challenge is listed");
		assert_eq!(entry.submissions, 0);
		assert_eq!(
			entry.team,
			Some(pallet_merit_rewards::TeamEntry { account: team_account(team), share: Perbill::from_percent(40) })
		);
		assert_eq!(entry.private.map(|p| (p.rank, p.submission)), Some((1, a)));
		// The deposit comes back now that the challenge has ended; the team's record stays.
		assert_ok!(MeritTeams::release_deposit(RuntimeOrigin::signed(account(EVE)), team));
		assert_eq!(Balances::balance_on_hold(&HoldReason::TeamDeposit.into(), &account(ALICE)), 0);
		assert!(Teams::<Test>::get(team).is_some());
		assert_noop!(
			MeritTeams::release_deposit(RuntimeOrigin::signed(account(EVE)), team),
			Error::<Test>::DepositNotDue
		);
		assert_noop!(propose(ALICE, team, &[(ALICE, 50), (BOB, 50)]), Error::<Test>::ChallengeEnded);
	});
}

#[test]
fn fork_credit_to_a_team_is_shared_by_its_members() {
	world(|| {
		let c = create(3);
		let team = team_of(ALICE, c, &[BOB]);
		assert_ok!(propose(BOB, team, &[(ALICE, 25), (BOB, 75)]));
		assert_ok!(approve(ALICE, team));
		let parent = submitted(ALICE, c, 0x41);
		register(CAROL, d(0x43), ArtifactKind::Predictions);
		let fork = pallet_merit_challenges::NextSubmissionId::<Test>::get();
		assert_ok!(MeritChallenges::submit(
			RuntimeOrigin::signed(account(CAROL)),
			c,
			claim(d(0x43)),
			vec![parent],
			None
		));
		agree(parent, Stage::Public, scored(20));
		agree(fork, Stage::Public, scored(10));
		close_and_reveal(c);
		agree(parent, Stage::Private, scored(20));
		agree(fork, Stage::Private, scored(10));
		run_to_block(System::block_number() + DISPUTE_WINDOW);
		assert_ok!(MeritRewards::finalize(RuntimeOrigin::signed(account(EVE)), c));
		assert_ok!(MeritRewards::distribute_team_winnings(RuntimeOrigin::signed(account(EVE)), c, team_account(team)));
		// Carol wins and passes half (fork_share) to the team whose work she forked: 125 and 375.
		assert_eq!(Earnings::<Test>::get(account(CAROL), c).prizes, 500);
		assert_eq!(Earnings::<Test>::get(account(ALICE), c).fork_credit, 125);
		assert_eq!(Earnings::<Test>::get(account(BOB), c).fork_credit, 375);
	});
}
