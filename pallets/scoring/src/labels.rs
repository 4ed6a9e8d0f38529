//! The public-row labels of a challenge, sealed by its owner to its drawn panel.
use crate::{pallet::*, EnvelopesOf, LabelsDelivery};
use frame_support::ensure;
use merit_primitives::{labels::SealedLabels, ArtifactRegistry, ChallengeId, ChallengeInspect, ChallengeState};
use polkadot_sdk::{frame_support, frame_system, sp_runtime::DispatchResult};

impl<T: Config> Pallet<T> {
	/// Checks and stores a delivery (see [`Pallet::deliver_labels`]).
	pub(crate) fn do_deliver_labels(
		who: T::AccountId,
		challenge_id: ChallengeId,
		sealed: SealedLabels,
		envelopes: EnvelopesOf<T>,
	) -> DispatchResult {
		let challenge = T::Challenges::challenge(challenge_id).ok_or(Error::<T>::UnknownChallenge)?;
		ensure!(challenge.owner == who, Error::<T>::NotChallengeOwner);
		ensure!(challenge.state == ChallengeState::Open, Error::<T>::ChallengeNotOpen);
		let panel = Panels::<T>::get(challenge_id).ok_or(Error::<T>::PanelNotDrawn)?;
		for (i, (member, _)) in envelopes.iter().enumerate() {
			ensure!(panel.members.contains(member), Error::<T>::NotOnPanel);
			ensure!(!envelopes[..i].iter().any(|(m, _)| m == member), Error::<T>::DuplicateEnvelope);
		}
		ensure!(T::Artifacts::location(&sealed.ciphertext).is_some(), Error::<T>::UnknownArtifact);
		if let Some(earlier) = LabelsDeliveries::<T>::get(challenge_id) {
			ensure!(earlier.sealed.commitment == sealed.commitment, Error::<T>::LabelsCommitmentChanged);
		}
		let ciphertext = sealed.ciphertext;
		let addressed = envelopes.len() as u32;
		let delivered_at = frame_system::Pallet::<T>::block_number();
		LabelsDeliveries::<T>::insert(challenge_id, LabelsDelivery { sealed, envelopes, delivered_at });
		Self::deposit_event(Event::LabelsDelivered { challenge: challenge_id, ciphertext, addressed });
		Ok(())
	}
}
