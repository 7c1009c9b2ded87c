module goguard.test/services

go 1.19
