# Terraform 1.12 and later: import by the resource's identity, its `id`
# (what `terraform query` writes in the import blocks it generates).
import {
  to = jetbackup_backup_job.accounts_nightly
  identity = {
    id = "6504c79fd4b57d536c05bbe2"
  }
}
