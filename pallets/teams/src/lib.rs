//! # Teams
//!
//! Participants of a challenge team up before its owner's merge deadline and compete as one
//! entrant, as Kaggle, EvalAI and Codabench teams do.
//!
//! - A team competes under its own **account**, derived from the team's number (nobody holds its
//!   key). The challenges pallet asks [`TeamInspect::entrant`] who a signer competes as, so a
//!   team's members share one set of submission limits and one final selection, the leaderboards
//!   list the team once, and prizes and fork credit go to the team.
//! - The rewards pallet pays what a team earns to its members by their **shares**
//!   ([`TeamInspect::shares`]), which sum to 100%. The founder starts with 100%; a member joins
//!   with 0% and a leaver's share goes to the others in proportion. Any other change is a
//!   proposal ([`Pallet::propose_shares`]) that applies only once **every** member approved it,
//!   so nobody's share changes without their consent (a captain cannot dilute the members by
//!   inviting accounts of its own).
//! - The challenge's owner sets the rules at publication ([`merit_primitives::TeamRules`]): the
//!   largest team and the **merge deadline**, after which teams neither form nor grow. A
//!   participant who joins brings its submissions (a merger); the combined submissions must fit
//!   the challenge's limits ([`EntrantMerge::merge`]).
//! - Two teams merge when **every** member of both approves ([`Pallet::propose_merger`]), before
//!   the merge deadline and within the size limit: the team merged `from` dissolves into the
//!   other, bringing its submissions (which must fit the limits) and its members, whose shares
//!   scale by headcount (a member of a team of two out of five members keeps 2/5 of its share).
//! - An account is in at most one team per challenge. A team's membership is fixed once it has
//!   submitted: leaving is allowed only before, so nobody carries the team's submissions away.
//! - Creating a team holds [`Config::TeamDeposit`] from its captain, which pays for the team's
//!   record, its pending invitations and share proposal; it comes back when the team dissolves
//!   (its last member leaves) or once the challenge has ended (the record stays: it is part of
//!   the members' track records).
//!
//! Teammates count as the author for every conflict of interest: none of them evaluates, reviews
//! for a reward, or forks for credit the team's submissions.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod weights;

use frame_support::traits::Get;
pub use merit_primitives::{ChallengeId, TeamId, TeamRules};
use merit_primitives::{ChallengeInspect, ChallengeState, EntrantMerge, TeamInspect};
use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, MutateHold},
			tokens::Precision,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{AccountIdConversion, Saturating, Zero},
		Perbill,
	};

	/// The balance type of deposits.
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A team's deposit, held from its captain.
		#[codec(index = 0)]
		TeamDeposit,
	}

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Challenges, their team rules, and the entrants' submissions.
		type Challenges: ChallengeInspect<Self::AccountId, BlockNumberFor<Self>> + EntrantMerge<Self::AccountId>;
		/// The currency team deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason> + InspectHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Derives each team's account.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// The largest team this runtime allows (a challenge's owner may allow fewer).
		#[pallet::constant]
		type MaxTeamSize: Get<u32>;
		/// The longest team name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;
		/// Held from a team's captain while the team can still change.
		#[pallet::constant]
		type TeamDeposit: Get<BalanceOf<Self>>;
		/// Weights of the calls, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// A team.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct Team<T: Config> {
		/// The challenge it competes in.
		pub challenge: ChallengeId,
		/// Its name, for people.
		pub name: BoundedVec<u8, T::MaxNameLength>,
		/// The account it competes under.
		pub account: T::AccountId,
		/// Who invites: the founder.
		pub captain: T::AccountId,
		/// Every member with its share of what the team earns; the shares sum to 100%.
		pub members: BoundedVec<(T::AccountId, Perbill), T::MaxTeamSize>,
		/// Invitations not yet answered.
		pub invited: u32,
		/// What the captain has held for the team; zero once released.
		pub deposit: BalanceOf<T>,
	}

	/// New shares awaiting every member's approval.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct ShareProposal<T: Config> {
		/// Each member's proposed share.
		pub shares: BoundedVec<(T::AccountId, Perbill), T::MaxTeamSize>,
		/// The members who approved it (the proposer first).
		pub approvals: BoundedVec<T::AccountId, T::MaxTeamSize>,
	}

	/// A proposed merger of one team into another, awaiting every member of both.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct MergerProposal<T: Config> {
		/// The team that stays; the proposal's key is the team merged into it.
		pub into: TeamId,
		/// The members of either team who approved (the proposer first). Only the current
		/// members' approvals count: a member who left takes its approval along.
		pub approvals: BoundedVec<T::AccountId, T::MaxTeamSize>,
	}

	/// The next team's number.
	#[pallet::storage]
	pub type NextTeamId<T> = StorageValue<_, TeamId, ValueQuery>;

	/// Every team.
	#[pallet::storage]
	pub type Teams<T: Config> = StorageMap<_, Twox64Concat, TeamId, Team<T>>;

	/// The team an account is in, per challenge: at most one.
	#[pallet::storage]
	pub type TeamOf<T: Config> = StorageDoubleMap<_, Twox64Concat, ChallengeId, Blake2_128Concat, T::AccountId, TeamId>;

	/// The team behind a team account.
	#[pallet::storage]
	pub type TeamByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, TeamId>;

	/// Pending invitations: the team and the invited account.
	#[pallet::storage]
	pub type Invitations<T: Config> = StorageDoubleMap<_, Twox64Concat, TeamId, Blake2_128Concat, T::AccountId, ()>;

	/// A team's pending share proposal.
	#[pallet::storage]
	pub type ShareProposals<T: Config> = StorageMap<_, Twox64Concat, TeamId, ShareProposal<T>>;

	/// Pending mergers, keyed by the team that would be merged into another (one each).
	#[pallet::storage]
	pub type MergerProposals<T: Config> = StorageMap<_, Twox64Concat, TeamId, MergerProposal<T>>;

	/// Every team an account has been in, with the challenge: what its track record lists.
	#[pallet::storage]
	pub type MemberTeams<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, TeamId, ChallengeId>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A team was founded; its captain holds the deposit and 100% of its shares.
		TeamCreated { team: TeamId, challenge: ChallengeId, account: T::AccountId, captain: T::AccountId },
		/// The captain invited an account.
		Invited { team: TeamId, who: T::AccountId },
		/// An invitation was withdrawn or declined.
		InvitationWithdrawn { team: TeamId, who: T::AccountId },
		/// An account joined, with 0% of the shares, bringing `submissions` of its own.
		Joined { team: TeamId, who: T::AccountId, submissions: u32 },
		/// A member left; its share went to the others in proportion.
		Left { team: TeamId, who: T::AccountId },
		/// The last member left: the team is gone and its deposit released.
		Dissolved { team: TeamId },
		/// A member proposed new shares.
		SharesProposed { team: TeamId, by: T::AccountId, shares: Vec<(T::AccountId, Perbill)> },
		/// A member approved the pending shares.
		SharesApproved { team: TeamId, by: T::AccountId },
		/// Every member approved: the new shares apply.
		SharesAgreed { team: TeamId, shares: Vec<(T::AccountId, Perbill)> },
		/// A member proposed merging team `from` into team `into`.
		MergerProposed { from: TeamId, into: TeamId, by: T::AccountId },
		/// A member of either team approved the pending merger.
		MergerApproved { from: TeamId, into: TeamId, by: T::AccountId },
		/// A member of either team withdrew (or declined) the pending merger.
		MergerWithdrawn { from: TeamId, into: TeamId, by: T::AccountId },
		/// Every member of both teams approved: team `from` is gone, its `members` and
		/// `submissions` are team `into`'s, and `into`'s shares are `shares`.
		TeamsMerged { from: TeamId, into: TeamId, members: u32, submissions: u32, shares: Vec<(T::AccountId, Perbill)> },
		/// The team's deposit went back to its captain.
		DepositReleased { team: TeamId, captain: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such challenge.
		UnknownChallenge,
		/// No such team.
		UnknownTeam,
		/// The challenge's owner allows no teams (its largest team is one).
		TeamsNotAllowed,
		/// The challenge is not open, or its merge deadline has passed.
		MergeDeadlinePassed,
		/// The name is empty or too long.
		BadName,
		/// The account is already in a team of this challenge.
		AlreadyInTeam,
		/// Only the team's captain may do this.
		NotCaptain,
		/// The account is not a member of the team.
		NotMember,
		/// The account is already invited.
		AlreadyInvited,
		/// The account has no pending invitation from the team.
		NotInvited,
		/// The team, with its pending invitations, is at the challenge's largest size.
		TeamFull,
		/// The team has submitted: its membership is fixed.
		TeamHasSubmissions,
		/// The captain leaves last, which dissolves the team.
		CaptainLeavesLast,
		/// Proposed shares must name every member once and sum to exactly 100%.
		BadShares,
		/// The team has no pending share proposal.
		NoShareProposal,
		/// The member already approved the pending shares.
		AlreadyApproved,
		/// Shares cannot change once the challenge has ended.
		ChallengeEnded,
		/// The deposit is released when the challenge has ended (or the team dissolved).
		DepositNotDue,
		/// The captain cannot afford the team deposit.
		InsufficientBalanceForDeposit,
		/// A team cannot merge into itself.
		SameTeam,
		/// The two teams compete in different challenges.
		TeamOfAnotherChallenge,
		/// The team has no pending merger.
		NoMergerProposal,
		/// Only a member of either team may propose, approve or withdraw a merger.
		NotMemberOfEither,
		/// A counter would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxTeamSize::get() >= 1, "MaxTeamSize must be positive");
			assert!(T::MaxNameLength::get() >= 1, "MaxNameLength must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Founds a team in an open challenge that allows teams, before its merge deadline. The
		/// caller becomes its captain with 100% of the shares; its own submissions so far become
		/// the team's.
		///
		/// - Origin: signed, the captain, who pays `TeamDeposit`.
		/// - Effects: stores the team, makes the caller its member, holds the deposit, moves the
		///   caller's participation to the team ([`EntrantMerge::merge`]).
		/// - Events: [`Event::TeamCreated`].
		/// - Errors: [`Error::UnknownChallenge`], [`Error::TeamsNotAllowed`],
		///   [`Error::MergeDeadlinePassed`], [`Error::BadName`], [`Error::AlreadyInTeam`],
		///   [`Error::InsufficientBalanceForDeposit`].
		/// - Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_team().saturating_add(T::Challenges::merge_weight()))]
		pub fn create_team(origin: OriginFor<T>, challenge: ChallengeId, name: Vec<u8>) -> DispatchResult {
			let captain = ensure_signed(origin)?;
			let rules = Self::open_for_merging(challenge)?;
			ensure!(rules.max_size > 1, Error::<T>::TeamsNotAllowed);
			let name: BoundedVec<u8, T::MaxNameLength> = name.try_into().map_err(|_| Error::<T>::BadName)?;
			ensure!(!name.is_empty(), Error::<T>::BadName);
			ensure!(!TeamOf::<T>::contains_key(challenge, &captain), Error::<T>::AlreadyInTeam);
			let id = NextTeamId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let account = Self::team_account(id);
			let deposit = T::TeamDeposit::get();
			if !deposit.is_zero() {
				T::Currency::hold(&HoldReason::TeamDeposit.into(), &captain, deposit)
					.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
			}
			T::Challenges::merge(challenge, &captain, &account)?;
			let members = BoundedVec::truncate_from(alloc::vec![(captain.clone(), Perbill::one())]);
			Teams::<T>::insert(
				id,
				Team {
					challenge,
					name,
					account: account.clone(),
					captain: captain.clone(),
					members,
					invited: 0,
					deposit,
				},
			);
			TeamOf::<T>::insert(challenge, &captain, id);
			TeamByAccount::<T>::insert(&account, id);
			MemberTeams::<T>::insert(&captain, id, challenge);
			NextTeamId::<T>::put(next);
			Self::deposit_event(Event::TeamCreated { team: id, challenge, account, captain });
			Ok(())
		}

		/// Invites an account into the team.
		///
		/// - Origin: signed, the team's captain.
		/// - Effects: stores the invitation; it counts toward the team's size until answered.
		/// - Events: [`Event::Invited`].
		/// - Errors: [`Error::UnknownTeam`], [`Error::NotCaptain`], [`Error::UnknownChallenge`],
		///   [`Error::MergeDeadlinePassed`], [`Error::AlreadyInTeam`] (already a member),
		///   [`Error::AlreadyInvited`], [`Error::TeamFull`].
		/// - Complexity: O(m), m members.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::invite())]
		pub fn invite(origin: OriginFor<T>, team: TeamId, who: T::AccountId) -> DispatchResult {
			let captain = ensure_signed(origin)?;
			let mut record = Teams::<T>::get(team).ok_or(Error::<T>::UnknownTeam)?;
			ensure!(record.captain == captain, Error::<T>::NotCaptain);
			let rules = Self::open_for_merging(record.challenge)?;
			ensure!(!Self::is_member(&record, &who), Error::<T>::AlreadyInTeam);
			ensure!(!Invitations::<T>::contains_key(team, &who), Error::<T>::AlreadyInvited);
			let size = (record.members.len() as u32).saturating_add(record.invited);
			ensure!(size < rules.max_size.min(T::MaxTeamSize::get()), Error::<T>::TeamFull);
			record.invited = record.invited.saturating_add(1);
			Invitations::<T>::insert(team, &who, ());
			Teams::<T>::insert(team, record);
			Self::deposit_event(Event::Invited { team, who });
			Ok(())
		}

		/// Withdraws an invitation (the captain) or declines it (the invited account).
		///
		/// - Origin: signed, the captain or the invited account.
		/// - Effects: removes the invitation, freeing its place.
		/// - Events: [`Event::InvitationWithdrawn`].
		/// - Errors: [`Error::UnknownTeam`], [`Error::NotInvited`], [`Error::NotCaptain`].
		/// - Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw_invitation())]
		pub fn withdraw_invitation(origin: OriginFor<T>, team: TeamId, who: T::AccountId) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			let mut record = Teams::<T>::get(team).ok_or(Error::<T>::UnknownTeam)?;
			ensure!(Invitations::<T>::contains_key(team, &who), Error::<T>::NotInvited);
			ensure!(caller == record.captain || caller == who, Error::<T>::NotCaptain);
			Invitations::<T>::remove(team, &who);
			record.invited = record.invited.saturating_sub(1);
			Teams::<T>::insert(team, record);
			Self::deposit_event(Event::InvitationWithdrawn { team, who });
			Ok(())
		}

		/// Accepts an invitation before the merge deadline: the caller joins with 0% of the
		/// shares (the team then agrees new ones), and its submissions so far become the team's,
		/// if the combined submissions fit the challenge's limits. A pending share proposal is
		/// dropped: it did not name the newcomer.
		///
		/// - Origin: signed, the invited account.
		/// - Effects: adds the member, removes the invitation, moves the caller's participation and
		///   drops its final selections ([`EntrantMerge::merge`]).
		/// - Events: [`Event::Joined`].
		/// - Errors: [`Error::UnknownTeam`], [`Error::NotInvited`], [`Error::UnknownChallenge`],
		///   [`Error::MergeDeadlinePassed`], [`Error::AlreadyInTeam`] (in a team of the same
		///   challenge), [`Error::TeamFull`]; the challenges pallet's `TotalLimitReached` or
		///   `DailyLimitReached` when the combined submissions exceed a limit.
		/// - Complexity: O(m), m members.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::accept().saturating_add(T::Challenges::merge_weight()))]
		pub fn accept(origin: OriginFor<T>, team: TeamId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Teams::<T>::get(team).ok_or(Error::<T>::UnknownTeam)?;
			ensure!(Invitations::<T>::contains_key(team, &who), Error::<T>::NotInvited);
			Self::open_for_merging(record.challenge)?;
			ensure!(!TeamOf::<T>::contains_key(record.challenge, &who), Error::<T>::AlreadyInTeam);
			let submissions = T::Challenges::submissions_of(record.challenge, &who);
			T::Challenges::merge(record.challenge, &who, &record.account)?;
			record.members.try_push((who.clone(), Perbill::zero())).map_err(|_| Error::<T>::TeamFull)?;
			record.invited = record.invited.saturating_sub(1);
			Invitations::<T>::remove(team, &who);
			ShareProposals::<T>::remove(team);
			TeamOf::<T>::insert(record.challenge, &who, team);
			MemberTeams::<T>::insert(&who, team, record.challenge);
			Teams::<T>::insert(team, record);
			Self::deposit_event(Event::Joined { team, who, submissions });
			Ok(())
		}

		/// Leaves a team that has not submitted; the leaver's share goes to the others in
		/// proportion to theirs. The captain leaves last, which dissolves the team and releases
		/// its deposit and invitations.
		///
		/// - Origin: signed, a member.
		/// - Effects: removes the member (or the whole team), drops a pending share proposal.
		/// - Events: [`Event::Left`], or [`Event::Dissolved`] (and [`Event::DepositReleased`]).
		/// - Errors: [`Error::UnknownTeam`], [`Error::NotMember`], [`Error::TeamHasSubmissions`],
		///   [`Error::CaptainLeavesLast`].
		/// - Complexity: O(m), m members and invitations.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::leave(T::MaxTeamSize::get())
			.max(T::WeightInfo::dissolve(T::MaxTeamSize::get().saturating_sub(1))))]
		pub fn leave(origin: OriginFor<T>, team: TeamId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Teams::<T>::get(team).ok_or(Error::<T>::UnknownTeam)?;
			let index = record.members.iter().position(|(m, _)| *m == who).ok_or(Error::<T>::NotMember)?;
			ensure!(
				T::Challenges::submissions_of(record.challenge, &record.account) == 0,
				Error::<T>::TeamHasSubmissions
			);
			TeamOf::<T>::remove(record.challenge, &who);
			MemberTeams::<T>::remove(&who, team);
			ShareProposals::<T>::remove(team);
			if record.members.len() == 1 {
				let _ = Invitations::<T>::clear_prefix(team, T::MaxTeamSize::get(), None);
				MergerProposals::<T>::remove(team);
				TeamByAccount::<T>::remove(&record.account);
				Teams::<T>::remove(team);
				Self::release(team, &record.captain, record.deposit)?;
				Self::deposit_event(Event::Dissolved { team });
				return Ok(());
			}
			ensure!(who != record.captain, Error::<T>::CaptainLeavesLast);
			let (_, share) = record.members.remove(index);
			record.members = Self::redistributed(record.members, share);
			Teams::<T>::insert(team, record);
			Self::deposit_event(Event::Left { team, who });
			Ok(())
		}

		/// Proposes new shares: every member once, summing to exactly 100%. They apply once every
		/// member approved them (the proposer approves by proposing); a new proposal replaces a
		/// pending one. Allowed until the challenge ends.
		///
		/// - Origin: signed, a member.
		/// - Effects: stores the proposal, or applies it at once in a team of one.
		/// - Events: [`Event::SharesProposed`] (and [`Event::SharesAgreed`]).
		/// - Errors: [`Error::UnknownTeam`], [`Error::NotMember`], [`Error::ChallengeEnded`],
		///   [`Error::BadShares`].
		/// - Complexity: O(m²), m members.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::propose_shares(T::MaxTeamSize::get()))]
		pub fn propose_shares(
			origin: OriginFor<T>,
			team: TeamId,
			shares: Vec<(T::AccountId, Perbill)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Teams::<T>::get(team).ok_or(Error::<T>::UnknownTeam)?;
			ensure!(Self::is_member(&record, &who), Error::<T>::NotMember);
			Self::ensure_live(record.challenge)?;
			ensure!(shares.len() == record.members.len(), Error::<T>::BadShares);
			let mut total: u64 = 0;
			for (i, (member, share)) in shares.iter().enumerate() {
				ensure!(record.members.iter().any(|(m, _)| m == member), Error::<T>::BadShares);
				ensure!(!shares[..i].iter().any(|(m, _)| m == member), Error::<T>::BadShares);
				total = total.saturating_add(share.deconstruct() as u64);
			}
			ensure!(total == Perbill::one().deconstruct() as u64, Error::<T>::BadShares);
			let bounded: BoundedVec<(T::AccountId, Perbill), T::MaxTeamSize> =
				shares.clone().try_into().map_err(|_| Error::<T>::BadShares)?;
			Self::deposit_event(Event::SharesProposed { team, by: who.clone(), shares });
			let proposal = ShareProposal { shares: bounded, approvals: BoundedVec::truncate_from(alloc::vec![who]) };
			Self::apply_if_agreed(team, record, proposal);
			Ok(())
		}

		/// Approves the pending shares; the last approval applies them.
		///
		/// - Origin: signed, a member.
		/// - Effects: records the approval; with every member's, replaces the shares.
		/// - Events: [`Event::SharesApproved`] (and [`Event::SharesAgreed`]).
		/// - Errors: [`Error::UnknownTeam`], [`Error::NotMember`], [`Error::ChallengeEnded`],
		///   [`Error::NoShareProposal`], [`Error::AlreadyApproved`].
		/// - Complexity: O(m), m members.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_shares(T::MaxTeamSize::get()))]
		pub fn approve_shares(origin: OriginFor<T>, team: TeamId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Teams::<T>::get(team).ok_or(Error::<T>::UnknownTeam)?;
			ensure!(Self::is_member(&record, &who), Error::<T>::NotMember);
			Self::ensure_live(record.challenge)?;
			let mut proposal = ShareProposals::<T>::get(team).ok_or(Error::<T>::NoShareProposal)?;
			ensure!(!proposal.approvals.contains(&who), Error::<T>::AlreadyApproved);
			proposal.approvals.try_push(who.clone()).map_err(|_| Error::<T>::AlreadyApproved)?;
			Self::deposit_event(Event::SharesApproved { team, by: who });
			Self::apply_if_agreed(team, record, proposal);
			Ok(())
		}

		/// Releases a team's deposit to its captain once its challenge has ended (finalized or
		/// cancelled). A team that submitted keeps its record for its members' track records; one
		/// that never did is dissolved, so no storage outlives the deposit that paid for it.
		///
		/// - Origin: signed, anyone.
		/// - Effects: releases the hold; drops pending invitations and share proposal; dissolves a
		///   team without submissions.
		/// - Events: [`Event::DepositReleased`].
		/// - Errors: [`Error::UnknownTeam`], [`Error::DepositNotDue`], [`Error::UnknownChallenge`].
		/// - Complexity: O(i), i pending invitations.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::release_deposit(T::MaxTeamSize::get())
			.saturating_add(T::DbWeight::get().reads_writes(1, 3u64.saturating_mul(T::MaxTeamSize::get().into()).saturating_add(2))))]
		pub fn release_deposit(origin: OriginFor<T>, team: TeamId) -> DispatchResult {
			ensure_signed(origin)?;
			let mut record = Teams::<T>::get(team).ok_or(Error::<T>::UnknownTeam)?;
			ensure!(!record.deposit.is_zero(), Error::<T>::DepositNotDue);
			let summary = T::Challenges::challenge(record.challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(!summary.state.is_live(), Error::<T>::DepositNotDue);
			let _ = Invitations::<T>::clear_prefix(team, T::MaxTeamSize::get(), None);
			ShareProposals::<T>::remove(team);
			MergerProposals::<T>::remove(team);
			let amount = record.deposit;
			let captain = record.captain.clone();
			if T::Challenges::submissions_of(record.challenge, &record.account) == 0 {
				for (member, _) in record.members.iter() {
					TeamOf::<T>::remove(record.challenge, member);
					MemberTeams::<T>::remove(member, team);
				}
				TeamByAccount::<T>::remove(&record.account);
				Teams::<T>::remove(team);
				Self::release(team, &captain, amount)?;
				Self::deposit_event(Event::Dissolved { team });
				return Ok(());
			}
			record.deposit = Zero::zero();
			record.invited = 0;
			Teams::<T>::insert(team, record);
			Self::release(team, &captain, amount)
		}

		/// Proposes merging team `from` into team `into` of the same challenge, before the merge
		/// deadline, when both teams' members (and `into`'s pending invitations) fit the
		/// challenge's largest team. It happens once every member of both teams approved
		/// ([`Pallet::approve_merger`]); the proposer approves by proposing. A new proposal
		/// replaces `from`'s pending one.
		///
		/// Only a member of `from`, the team that gives up its name, may propose: nobody else can
		/// replace a pending merger of another team to block it.
		///
		/// - Origin: signed, a member of `from`.
		/// - Effects: stores the proposal (one per team, paid for by its deposit).
		/// - Events: [`Event::MergerProposed`].
		/// - Errors: [`Error::SameTeam`], [`Error::UnknownTeam`], [`Error::NotMember`],
		///   [`Error::TeamOfAnotherChallenge`], [`Error::UnknownChallenge`],
		///   [`Error::MergeDeadlinePassed`], [`Error::TeamFull`].
		/// - Complexity: O(m), m members of both teams.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::propose_merger())]
		pub fn propose_merger(origin: OriginFor<T>, from: TeamId, into: TeamId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(from != into, Error::<T>::SameTeam);
			let from_team = Teams::<T>::get(from).ok_or(Error::<T>::UnknownTeam)?;
			let into_team = Teams::<T>::get(into).ok_or(Error::<T>::UnknownTeam)?;
			ensure!(Self::is_member(&from_team, &who), Error::<T>::NotMember);
			ensure!(from_team.challenge == into_team.challenge, Error::<T>::TeamOfAnotherChallenge);
			let rules = Self::open_for_merging(into_team.challenge)?;
			ensure!(Self::merged_size_fits(&from_team, &into_team, rules.max_size), Error::<T>::TeamFull);
			let approvals = BoundedVec::truncate_from(alloc::vec![who.clone()]);
			MergerProposals::<T>::insert(from, MergerProposal { into, approvals });
			Self::deposit_event(Event::MergerProposed { from, into, by: who });
			Ok(())
		}

		/// Approves the pending merger of team `from`. The approval that completes every current
		/// member of both teams merges them: `from`'s submissions become `into`'s (refused if
		/// the combined ones exceed the challenge's limits), its members join `into` with their
		/// shares scaled by headcount, and `from` dissolves, releasing its deposit, invitations
		/// and proposals. `into`'s captain stays captain and takes the rounding.
		///
		/// - Origin: signed, a member of either team.
		/// - Effects: records the approval; with every member's, merges the teams
		///   ([`EntrantMerge::merge`]).
		/// - Events: [`Event::MergerApproved`] (and [`Event::TeamsMerged`],
		///   [`Event::DepositReleased`]).
		/// - Errors: [`Error::NoMergerProposal`], [`Error::UnknownTeam`],
		///   [`Error::NotMemberOfEither`], [`Error::UnknownChallenge`],
		///   [`Error::MergeDeadlinePassed`], [`Error::AlreadyApproved`], [`Error::TeamFull`]; the
		///   challenges pallet's `TotalLimitReached` or `DailyLimitReached`.
		/// - Complexity: O(m), m members of both teams and `from`'s invitations.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::approve_merger(T::MaxTeamSize::get().saturating_sub(1))
			.saturating_add(T::Challenges::merge_weight()))]
		pub fn approve_merger(origin: OriginFor<T>, from: TeamId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut proposal = MergerProposals::<T>::get(from).ok_or(Error::<T>::NoMergerProposal)?;
			let from_team = Teams::<T>::get(from).ok_or(Error::<T>::UnknownTeam)?;
			let into_team = Teams::<T>::get(proposal.into).ok_or(Error::<T>::UnknownTeam)?;
			let member = |a: &T::AccountId| Self::is_member(&from_team, a) || Self::is_member(&into_team, a);
			ensure!(member(&who), Error::<T>::NotMemberOfEither);
			Self::open_for_merging(from_team.challenge)?;
			ensure!(!proposal.approvals.contains(&who), Error::<T>::AlreadyApproved);
			// Members who left since took their approvals along; the bound holds the rest.
			proposal.approvals.retain(|a| member(a));
			proposal.approvals.try_push(who.clone()).map_err(|_| Error::<T>::TeamFull)?;
			let into = proposal.into;
			Self::deposit_event(Event::MergerApproved { from, into, by: who });
			let agreed =
				from_team.members.iter().chain(into_team.members.iter()).all(|(m, _)| proposal.approvals.contains(m));
			if !agreed {
				MergerProposals::<T>::insert(from, proposal);
				return Ok(());
			}
			Self::merge_teams(from, from_team, into, into_team)
		}

		/// Withdraws the pending merger of team `from` (its members) or declines it (`into`'s).
		///
		/// - Origin: signed, a member of either team.
		/// - Effects: removes the proposal and its approvals.
		/// - Events: [`Event::MergerWithdrawn`].
		/// - Errors: [`Error::NoMergerProposal`], [`Error::UnknownTeam`],
		///   [`Error::NotMemberOfEither`].
		/// - Complexity: O(m), m members of both teams.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::withdraw_merger())]
		pub fn withdraw_merger(origin: OriginFor<T>, from: TeamId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let proposal = MergerProposals::<T>::get(from).ok_or(Error::<T>::NoMergerProposal)?;
			let from_team = Teams::<T>::get(from).ok_or(Error::<T>::UnknownTeam)?;
			// A team that has since dissolved or merged away declines nothing: its former
			// members cannot act for it, `from`'s members still can.
			let in_into = Teams::<T>::get(proposal.into).is_some_and(|team| Self::is_member(&team, &who));
			ensure!(Self::is_member(&from_team, &who) || in_into, Error::<T>::NotMemberOfEither);
			MergerProposals::<T>::remove(from);
			Self::deposit_event(Event::MergerWithdrawn { from, into: proposal.into, by: who });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The account team `id` competes under, derived from its number (nobody holds its key).
		pub fn team_account(id: TeamId) -> T::AccountId {
			T::PalletId::get().into_sub_account_truncating(id)
		}

		fn is_member(team: &Team<T>, who: &T::AccountId) -> bool {
			team.members.iter().any(|(m, _)| m == who)
		}

		/// Whether both teams' members and `into`'s pending invitations fit the largest team
		/// (`from`'s invitations lapse with it).
		fn merged_size_fits(from: &Team<T>, into: &Team<T>, max_size: u32) -> bool {
			let size =
				(from.members.len() as u32).saturating_add(into.members.len() as u32).saturating_add(into.invited);
			size <= max_size.min(T::MaxTeamSize::get())
		}

		/// Merges team `from` into team `into`, every member of both having approved.
		fn merge_teams(from: TeamId, from_team: Team<T>, into: TeamId, mut into_team: Team<T>) -> DispatchResult {
			let challenge = into_team.challenge;
			let rules = Self::open_for_merging(challenge)?;
			ensure!(Self::merged_size_fits(&from_team, &into_team, rules.max_size), Error::<T>::TeamFull);
			let submissions = T::Challenges::submissions_of(challenge, &from_team.account);
			T::Challenges::merge(challenge, &from_team.account, &into_team.account)?;
			// Each side keeps its headcount's part of the whole, split as it was split before
			// (one rounding: share × side / total, exactly; the captain takes what is left).
			let staying = into_team.members.len() as u64;
			let joining = from_team.members.len() as u64;
			let whole = u64::from(Perbill::one().deconstruct()).saturating_mul(staying.saturating_add(joining));
			let scaled = |share: &Perbill, side: u64| {
				Perbill::from_rational(u64::from(share.deconstruct()).saturating_mul(side), whole)
			};
			let mut members: Vec<(T::AccountId, Perbill)> =
				into_team.members.iter().map(|(m, share)| (m.clone(), scaled(share, staying))).collect();
			members.extend(from_team.members.iter().map(|(m, share)| (m.clone(), scaled(share, joining))));
			Self::captain_takes_rounding(&mut members);
			into_team.members = members.try_into().map_err(|_| Error::<T>::TeamFull)?;
			for (member, _) in from_team.members.iter() {
				TeamOf::<T>::insert(challenge, member, into);
				MemberTeams::<T>::remove(member, from);
				MemberTeams::<T>::insert(member, into, challenge);
			}
			let _ = Invitations::<T>::clear_prefix(from, T::MaxTeamSize::get(), None);
			ShareProposals::<T>::remove(from);
			ShareProposals::<T>::remove(into);
			MergerProposals::<T>::remove(from);
			TeamByAccount::<T>::remove(&from_team.account);
			Teams::<T>::remove(from);
			let shares = into_team.members.to_vec();
			Teams::<T>::insert(into, into_team);
			Self::deposit_event(Event::TeamsMerged { from, into, members: joining as u32, submissions, shares });
			Self::release(from, &from_team.captain, from_team.deposit)
		}

		/// The team rules of a challenge that is open and before its merge deadline.
		fn open_for_merging(challenge: ChallengeId) -> Result<TeamRules<BlockNumberFor<T>>, DispatchError> {
			let summary = T::Challenges::challenge(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				summary.state == ChallengeState::Open && now < summary.teams.merge_until,
				Error::<T>::MergeDeadlinePassed
			);
			Ok(summary.teams)
		}

		fn ensure_live(challenge: ChallengeId) -> DispatchResult {
			let summary = T::Challenges::challenge(challenge).ok_or(Error::<T>::UnknownChallenge)?;
			ensure!(summary.state.is_live(), Error::<T>::ChallengeEnded);
			Ok(())
		}

		/// Stores a proposal, or applies it when every member has approved.
		fn apply_if_agreed(team: TeamId, mut record: Team<T>, proposal: ShareProposal<T>) {
			let agreed = record.members.iter().all(|(m, _)| proposal.approvals.contains(m));
			if !agreed {
				ShareProposals::<T>::insert(team, proposal);
				return;
			}
			ShareProposals::<T>::remove(team);
			// Keep the members' order (the captain first); take each share from the proposal.
			for (member, share) in record.members.iter_mut() {
				if let Some((_, agreed)) = proposal.shares.iter().find(|(m, _)| m == member) {
					*share = *agreed;
				}
			}
			let shares = record.members.to_vec();
			Teams::<T>::insert(team, record);
			Self::deposit_event(Event::SharesAgreed { team, shares });
		}

		/// The shares after a member with `freed` left: each remaining share grows in proportion
		/// (`share / (1 − freed)`), all equal if the others had none; the captain (first) takes
		/// the rounding, so they sum to exactly 100%.
		fn redistributed(
			members: BoundedVec<(T::AccountId, Perbill), T::MaxTeamSize>,
			freed: Perbill,
		) -> BoundedVec<(T::AccountId, Perbill), T::MaxTeamSize> {
			let kept = Perbill::one().saturating_sub(freed).deconstruct();
			let n = members.len() as u32;
			let mut members = members;
			for (_, share) in members.iter_mut() {
				*share = if kept == 0 {
					Perbill::from_rational(1, n.max(1))
				} else {
					Perbill::from_rational(share.deconstruct(), kept)
				};
			}
			let mut members = members.into_inner();
			Self::captain_takes_rounding(&mut members);
			BoundedVec::truncate_from(members)
		}

		/// Makes shares sum to exactly 100%: the captain (listed first) gets what the others'
		/// rounded-down shares leave.
		pub(crate) fn captain_takes_rounding(members: &mut [(T::AccountId, Perbill)]) {
			let others: u32 = members.iter().skip(1).map(|(_, s)| s.deconstruct()).sum();
			if let Some((_, first)) = members.first_mut() {
				*first = Perbill::from_parts(Perbill::one().deconstruct().saturating_sub(others));
			}
		}

		fn release(team: TeamId, captain: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			if amount.is_zero() {
				return Ok(());
			}
			T::Currency::release(&HoldReason::TeamDeposit.into(), captain, amount, Precision::Exact)?;
			Self::deposit_event(Event::DepositReleased { team, captain: captain.clone(), amount });
			Ok(())
		}

		/// Invariants: shares sum to 100% and name each member once; the indexes agree with the
		/// teams; invitation counts are exact; held deposits equal the recorded ones.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut deposits: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
			for (id, team) in Teams::<T>::iter() {
				let total: u64 = team.members.iter().map(|(_, s)| s.deconstruct() as u64).sum();
				ensure!(total == Perbill::one().deconstruct() as u64, "a team's shares do not sum to 100%");
				ensure!(team.members.first().map(|(m, _)| m) == Some(&team.captain), "the captain is not listed first");
				for (i, (member, _)) in team.members.iter().enumerate() {
					ensure!(!team.members[..i].iter().any(|(m, _)| m == member), "a member listed twice");
					ensure!(TeamOf::<T>::get(team.challenge, member) == Some(id), "a member not indexed to its team");
					ensure!(MemberTeams::<T>::get(member, id) == Some(team.challenge), "a member's team not listed");
				}
				ensure!(TeamByAccount::<T>::get(&team.account) == Some(id), "a team account not indexed");
				ensure!(
					Invitations::<T>::iter_prefix(id).count() as u32 == team.invited,
					"a team's invitation count is off"
				);
				ensure!(
					(team.members.len() as u32).saturating_add(team.invited) <= T::MaxTeamSize::get(),
					"a team beyond MaxTeamSize"
				);
				if let Some(proposal) = ShareProposals::<T>::get(id) {
					ensure!(proposal.shares.len() == team.members.len(), "a proposal that does not name every member");
					ensure!(
						proposal.approvals.iter().all(|a| team.members.iter().any(|(m, _)| m == a)),
						"an approval from a non-member"
					);
				}
				let sum = deposits.entry(team.captain.clone()).or_insert_with(Zero::zero);
				*sum = sum.saturating_add(team.deposit);
			}
			for (challenge, member, id) in TeamOf::<T>::iter() {
				let team = Teams::<T>::get(id).ok_or("a membership of a missing team")?;
				ensure!(team.challenge == challenge, "a membership under another challenge");
				ensure!(team.members.iter().any(|(m, _)| *m == member), "an indexed member not in its team");
			}
			for (id, _) in ShareProposals::<T>::iter() {
				ensure!(Teams::<T>::contains_key(id), "a proposal of a missing team");
			}
			for (from, proposal) in MergerProposals::<T>::iter() {
				let team = Teams::<T>::get(from).ok_or("a merger of a missing team")?;
				ensure!(proposal.into != from, "a team merging into itself");
				ensure!(!team.deposit.is_zero(), "a merger outliving the deposit that paid for it");
			}
			for (captain, sum) in deposits {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::TeamDeposit.into(), &captain) == sum,
					"held team deposits differ from the recorded ones"
				);
			}
			Ok(())
		}
	}
}

impl<T: Config> TeamInspect<T::AccountId> for Pallet<T> {
	fn entrant(challenge: ChallengeId, who: &T::AccountId) -> T::AccountId {
		// One read: a team's account is derived from its number.
		TeamOf::<T>::get(challenge, who).map(Pallet::<T>::team_account).unwrap_or_else(|| who.clone())
	}

	fn shares(challenge: ChallengeId, entrant: &T::AccountId) -> alloc::vec::Vec<(T::AccountId, sp_runtime::Perbill)> {
		match TeamByAccount::<T>::get(entrant).and_then(Teams::<T>::get) {
			Some(team) if team.challenge == challenge => team.members.into_inner(),
			_ => alloc::vec![(entrant.clone(), sp_runtime::Perbill::one())],
		}
	}

	fn max_team_size() -> u32 {
		T::MaxTeamSize::get()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn insert_team_for_benchmark(challenge: ChallengeId, members: &[T::AccountId]) -> T::AccountId {
		use sp_runtime::Perbill;
		let id = NextTeamId::<T>::get();
		NextTeamId::<T>::put(id.saturating_add(1));
		let account = Pallet::<T>::team_account(id);
		let n = members.len().max(1) as u32;
		let mut shares: alloc::vec::Vec<(T::AccountId, Perbill)> =
			members.iter().map(|m| (m.clone(), Perbill::from_rational(1, n))).collect();
		Pallet::<T>::captain_takes_rounding(&mut shares);
		for member in members {
			TeamOf::<T>::insert(challenge, member, id);
			MemberTeams::<T>::insert(member, id, challenge);
		}
		TeamByAccount::<T>::insert(&account, id);
		Teams::<T>::insert(
			id,
			Team {
				challenge,
				name: Default::default(),
				account: account.clone(),
				captain: members[0].clone(),
				members: frame_support::BoundedVec::truncate_from(shares),
				invited: 0,
				deposit: sp_runtime::traits::Zero::zero(),
			},
		);
		account
	}

	fn teams_of(who: &T::AccountId) -> alloc::vec::Vec<(ChallengeId, T::AccountId, sp_runtime::Perbill)> {
		MemberTeams::<T>::iter_prefix(who)
			.filter_map(|(id, challenge)| {
				let team = Teams::<T>::get(id)?;
				let share = team.members.iter().find(|(m, _)| m == who)?.1;
				Some((challenge, team.account, share))
			})
			.collect()
	}
}
