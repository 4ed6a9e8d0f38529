//! The public-row labels of a challenge, sealed by its owner to its drawn panel.
use crate::{pallet::*, EnvelopesOf, LabelsDelivery};
use frame_support::{ensure, traits::Get};
use merit_primitives::{
	labels::SealedLabels, ArtifactKind, ArtifactRegistry, ChallengeId, ChallengeInspect, ChallengeState,
};
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
		for member in panel.members.iter() {
			if LabelsKeys::<T>::contains_key(member) {
				ensure!(envelopes.iter().any(|(m, _)| m == member), Error::<T>::MissingEnvelope);
			}
		}
		let artifact = T::Artifacts::location(&sealed.ciphertext).ok_or(Error::<T>::UnknownArtifact)?;
		ensure!(
			T::Artifacts::artifact(&sealed.ciphertext) == Some((who.clone(), ArtifactKind::Labels)),
			Error::<T>::NotOwnersLabelsArtifact
		);
		ensure!(artifact.size <= T::MaxPredictionsSize::get(), Error::<T>::LabelsTooLarge);
		let earlier = LabelsDeliveries::<T>::get(challenge_id);
		if let Some(earlier) = earlier.as_ref() {
			ensure!(earlier.sealed.commitment == sealed.commitment, Error::<T>::LabelsCommitmentChanged);
			// The same ephemeral key with a new file key would encrypt two keys under one
			// key-encryption key and nonce.
			ensure!(earlier.sealed.sender != sealed.sender, Error::<T>::EphemeralKeyReused);
		}
		// Pinned, so nobody removes what the panel (and later `merit verify`) must fetch.
		if earlier.as_ref().map(|e| e.sealed.ciphertext) != Some(sealed.ciphertext) {
			T::Artifacts::add_reference(&sealed.ciphertext)?;
			if let Some(earlier) = earlier {
				T::Artifacts::remove_reference(&earlier.sealed.ciphertext);
			}
		}
		let ciphertext = sealed.ciphertext;
		let addressed = envelopes.len() as u32;
		let delivered_at = frame_system::Pallet::<T>::block_number();
		LabelsDeliveries::<T>::insert(challenge_id, LabelsDelivery { sealed, envelopes, delivered_at });
		Self::deposit_event(Event::LabelsDelivered { challenge: challenge_id, ciphertext, addressed });
		Ok(())
	}
}
