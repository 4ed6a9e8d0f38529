//! Benchmarks (frame-benchmarking v2) for the teams pallet, each at its worst case.
use super::*;
use alloc::{vec, vec::Vec};
use frame_support::traits::{
	fungible::{Mutate, MutateHold},
	Get,
};
use frame_support::BoundedVec;
use merit_primitives::ChallengeState;
use merit_primitives::TeamInspect;
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};
use sp_runtime::{traits::Bounded, Perbill};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, 0);
	// Small enough that a dozen such accounts do not overflow the total issuance.
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 100u32.into());
	who
}

/// An open challenge that allows the largest teams, merging for another 1,000 blocks.
fn open_challenge<T: Config>() -> ChallengeId
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner = funded::<T>("owner", 0);
	T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Open, 3)
}

/// A team of `members` (the captain first, equal shares summing to 100%) with `invited`
/// pending invitations, its deposit held from the captain.
fn stored_team<T: Config>(challenge: ChallengeId, members: u32, invited: u32) -> (TeamId, Vec<T::AccountId>)
where
	T::Currency: Mutate<T::AccountId>,
{
	named_team::<T>("member", challenge, members, invited)
}

/// [`stored_team`] with members named `name`, so that two teams do not share accounts.
fn named_team<T: Config>(
	name: &'static str,
	challenge: ChallengeId,
	members: u32,
	invited: u32,
) -> (TeamId, Vec<T::AccountId>)
where
	T::Currency: Mutate<T::AccountId>,
{
	let id = NextTeamId::<T>::get();
	let accounts: Vec<T::AccountId> = (0..members).map(|i| funded::<T>(name, i)).collect();
	<Pallet<T> as TeamInspect<T::AccountId>>::insert_team_for_benchmark(challenge, &accounts);
	let deposit = T::TeamDeposit::get();
	T::Currency::hold(&HoldReason::TeamDeposit.into(), &accounts[0], deposit).expect("the captain is funded");
	for i in 0..invited {
		let who: T::AccountId = account(name, 1_000 + i, 0);
		Invitations::<T>::insert(id, who, ());
	}
	Teams::<T>::mutate(id, |team| {
		let team = team.as_mut().expect("just stored");
		team.name = BoundedVec::truncate_from(vec![b'n'; T::MaxNameLength::get() as usize]);
		team.invited = invited;
		team.deposit = deposit;
	});
	(id, accounts)
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	/// The founder has submitted alone before: its participation moves to the team.
	#[benchmark]
	fn create_team() {
		let challenge = open_challenge::<T>();
		let captain = funded::<T>("captain", 0);
		T::Challenges::insert_submission_for_benchmark(challenge, &captain, Vec::new());
		let name = vec![b'n'; T::MaxNameLength::get() as usize];

		#[extrinsic_call]
		_(RawOrigin::Signed(captain.clone()), challenge, name);

		assert!(TeamOf::<T>::contains_key(challenge, &captain));
	}

	#[benchmark]
	fn invite() {
		let challenge = open_challenge::<T>();
		let (team, members) = stored_team::<T>(challenge, 1, T::MaxTeamSize::get() - 2);
		let who: T::AccountId = account("newcomer", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(members[0].clone()), team, who.clone());

		assert!(Invitations::<T>::contains_key(team, &who));
	}

	#[benchmark]
	fn withdraw_invitation() {
		let challenge = open_challenge::<T>();
		let (team, members) = stored_team::<T>(challenge, 1, 1);
		let who: T::AccountId = account("member", 1_000, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(members[0].clone()), team, who.clone());

		assert!(!Invitations::<T>::contains_key(team, &who));
	}

	/// The newcomer has submitted alone before: its participation merges into the team's.
	#[benchmark]
	fn accept() {
		let challenge = open_challenge::<T>();
		let (team, _) = stored_team::<T>(challenge, T::MaxTeamSize::get() - 1, 1);
		let who: T::AccountId = account("member", 1_000, 0);
		T::Challenges::insert_submission_for_benchmark(challenge, &who, Vec::new());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), team);

		assert_eq!(TeamOf::<T>::get(challenge, &who), Some(team));
	}

	/// A member of `m` leaves; the others' shares grow.
	#[benchmark]
	fn leave(m: Linear<2, { T::MaxTeamSize::get() }>) {
		let challenge = open_challenge::<T>();
		let (team, members) = stored_team::<T>(challenge, m, 0);
		let leaver = members[m as usize - 1].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(leaver.clone()), team);

		assert!(!TeamOf::<T>::contains_key(challenge, &leaver));
	}

	/// The last member leaves a team with `i` pending invitations: the team dissolves.
	#[benchmark]
	fn dissolve(i: Linear<0, { T::MaxTeamSize::get() - 1 }>) {
		let challenge = open_challenge::<T>();
		let (team, members) = stored_team::<T>(challenge, 1, i);

		#[extrinsic_call]
		leave(RawOrigin::Signed(members[0].clone()), team);

		assert!(!Teams::<T>::contains_key(team));
	}

	/// A proposal for `m` members that still needs the others' approvals.
	#[benchmark]
	fn propose_shares(m: Linear<2, { T::MaxTeamSize::get() }>) {
		let challenge = open_challenge::<T>();
		let (team, members) = stored_team::<T>(challenge, m, 0);
		let mut shares: Vec<(T::AccountId, Perbill)> = members.iter().map(|a| (a.clone(), Perbill::zero())).collect();
		shares[m as usize - 1].1 = Perbill::one();

		#[extrinsic_call]
		_(RawOrigin::Signed(members[0].clone()), team, shares);

		assert!(ShareProposals::<T>::contains_key(team));
	}

	/// The last of `m` approvals: the shares apply.
	#[benchmark]
	fn approve_shares(m: Linear<2, { T::MaxTeamSize::get() }>) {
		let challenge = open_challenge::<T>();
		let (team, members) = stored_team::<T>(challenge, m, 0);
		let mut shares: Vec<(T::AccountId, Perbill)> = members.iter().map(|a| (a.clone(), Perbill::zero())).collect();
		shares[m as usize - 1].1 = Perbill::one();
		Pallet::<T>::propose_shares(RawOrigin::Signed(members[0].clone()).into(), team, shares).expect("proposes");
		for member in members.iter().take(m as usize - 1).skip(1) {
			Pallet::<T>::approve_shares(RawOrigin::Signed(member.clone()).into(), team).expect("approves");
		}
		let last = members[m as usize - 1].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), team);

		assert!(!ShareProposals::<T>::contains_key(team));
		assert_eq!(Teams::<T>::get(team).map(|t| t.members[m as usize - 1].1), Some(Perbill::one()));
	}

	/// The deposit of a team (without submissions: it is dissolved) of an ended challenge with
	/// `i` invitations left pending.
	#[benchmark]
	fn release_deposit(i: Linear<0, { T::MaxTeamSize::get() - 1 }>) {
		let owner = funded::<T>("owner", 0);
		let challenge = T::Challenges::insert_challenge_for_benchmark(&owner, ChallengeState::Finalized, 3);
		let (team, _) = stored_team::<T>(challenge, 1, i);
		let caller: T::AccountId = account("caller", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), team);

		// A team that never submitted is dissolved with its deposit released.
		assert!(!Teams::<T>::contains_key(team));
	}

	/// A member of a team proposes merging it into another; together they fill the largest
	/// team.
	#[benchmark]
	fn propose_merger() {
		let challenge = open_challenge::<T>();
		let half = T::MaxTeamSize::get() / 2;
		let (from, members) = named_team::<T>("joining", challenge, half.max(1), 0);
		let (into, _) = named_team::<T>("staying", challenge, T::MaxTeamSize::get().saturating_sub(half).max(1), 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(members[0].clone()), from, into);

		assert_eq!(MergerProposals::<T>::get(from).map(|p| p.into), Some(into));
	}

	/// The last approval merges a team of `m` members that has submitted, with `MaxTeamSize − 1 − m` pending invitations, into a team of one that has submitted.
	#[benchmark]
	fn approve_merger(m: Linear<1, { T::MaxTeamSize::get() - 1 }>) {
		let challenge = open_challenge::<T>();
		let (from, joining) = named_team::<T>("joining", challenge, m, T::MaxTeamSize::get() - 1 - m);
		let (into, staying) = named_team::<T>("staying", challenge, 1, 0);
		// The joining team has submitted: its participation moves (the benchmark challenge allows
		// one submission; `merge_weight` covers merging into a team that submitted too).
		T::Challenges::insert_submission_for_benchmark(challenge, &Pallet::<T>::team_account(from), Vec::new());
		Pallet::<T>::propose_merger(RawOrigin::Signed(joining[0].clone()).into(), from, into).expect("proposes");
		for member in joining.iter().skip(1) {
			Pallet::<T>::approve_merger(RawOrigin::Signed(member.clone()).into(), from).expect("approves");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(staying[0].clone()), from);

		assert!(!Teams::<T>::contains_key(from));
		assert_eq!(Teams::<T>::get(into).map(|t| t.members.len() as u32), Some(m + 1));
	}

	#[benchmark]
	fn withdraw_merger() {
		let challenge = open_challenge::<T>();
		let half = T::MaxTeamSize::get() / 2;
		let (from, joining) = named_team::<T>("joining", challenge, half.max(1), 0);
		let (into, staying) =
			named_team::<T>("staying", challenge, T::MaxTeamSize::get().saturating_sub(half).max(1), 0);
		Pallet::<T>::propose_merger(RawOrigin::Signed(joining[0].clone()).into(), from, into).expect("proposes");
		let decliner = staying.last().expect("a member").clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(decliner), from);

		assert!(!MergerProposals::<T>::contains_key(from));
	}
}
