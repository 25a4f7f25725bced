module github.com/magekit/magekit/bench

go 1.24.0

replace github.com/magekit/magekit => ../

require (
	github.com/magekit/magekit v0.0.0-00010101000000-000000000000
	github.com/mrjones/oauth v0.0.0-20190623134757-126b35219450
)

require (
	github.com/hashicorp/go-immutable-radix v1.3.1 // indirect
	github.com/hashicorp/go-memdb v1.3.5 // indirect
	github.com/hashicorp/golang-lru v0.5.4 // indirect
)
