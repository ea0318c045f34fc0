# Look a destination up by its exact name (case-sensitive), so that the same
# configuration works on every server whatever its destination IDs are.
data "jetbackup_destination" "offsite" {
  name = "S3 Offsite"
}

# Or by ID, to read its details.
data "jetbackup_destination" "local" {
  id = "6503e7a1ebbf07708d06f1c1"
}

output "offsite" {
  value = {
    id        = data.jetbackup_destination.offsite.id
    type      = data.jetbackup_destination.offsite.type
    job_count = data.jetbackup_destination.offsite.job_count
  }
}
