//! What the chain knows about an account as a volunteer, for track records (`CampaignsApi`).
use crate::*;
use alloc::vec::Vec;
use polkadot_sdk::sp_api;

/// One campaign in a volunteer's record.
#[derive(Clone, PartialEq, Eq, Debug, codec::Encode, codec::Decode, scale_info::TypeInfo)]
pub struct VolunteerRecord<Balance> {
	pub campaign: CampaignId,
	pub title: Vec<u8>,
	/// The task's answers.
	pub answers: u8,
	/// Subjects classified (sealed), of which gold.
	pub classified: u32,
	pub gold_seen: u32,
	/// Classifications revealed.
	pub revealed: u32,
	/// Per class: skill on gold (diagonal / row sum) and the gold classifications of that class.
	pub skill: Vec<(Prob, u32)>,
	/// The level reached.
	pub level: u8,
	/// The weight its agreements count with.
	pub weight: Prob,
	/// Votes that agreed with a retired consensus.
	pub agreements: u32,
	/// What it was paid, once claimed.
	pub paid: Option<Balance>,
}

sp_api::decl_runtime_apis! {
	/// Labelling campaigns for auditors: what an account did as a volunteer.
	pub trait CampaignsApi<AccountId, Balance>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
	{
		/// Every campaign `account` classified in, with its skill, level, agreements and pay.
		fn volunteer_record(account: AccountId) -> Vec<VolunteerRecord<Balance>>;
	}
}

impl<T: Config> Pallet<T> {
	/// `account`'s campaigns as a volunteer, by campaign id.
	pub fn volunteer_record(account: T::AccountId) -> Vec<VolunteerRecord<BalanceOf<T>>> {
		let mut records: Vec<VolunteerRecord<BalanceOf<T>>> = Volunteers::<T>::iter_prefix(&account)
			.filter_map(|(campaign, volunteer)| {
				let record = Campaigns::<T>::get(campaign)?;
				let confusion = Confusion { answers: record.answers, counts: volunteer.confusion.to_vec() };
				Some(VolunteerRecord {
					campaign,
					title: record.title.to_vec(),
					answers: record.answers,
					classified: volunteer.seen,
					gold_seen: volunteer.gold_seen,
					revealed: volunteer.revealed,
					skill: (0..record.answers).map(|a| (confusion.skill(a), confusion.gold_seen(a))).collect(),
					level: volunteer.level,
					weight: volunteer.weight,
					agreements: volunteer.agreements,
					paid: volunteer.paid,
				})
			})
			.collect();
		records.sort_by_key(|r| r.campaign);
		records
	}
}
