# Every S3 destination whose name starts with "Offsite".
data "jetbackup_destinations" "offsite" {
  type       = "S3"
  name_regex = "^Offsite"
}

output "offsite_destination_ids" {
  value = data.jetbackup_destinations.offsite.ids
}

output "destination_names" {
  value = [for d in data.jetbackup_destinations.offsite.destinations : d.name]
}
