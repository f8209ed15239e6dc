package synth

// usState is what a plate prints about its state: the name across the top and
// a caption (motto or web address) along the bottom.
type usState struct {
	Code     string
	Name     string
	Captions []string
}

// states is a fixed table of the states whose plates the generator imitates.
var states = [...]usState{
	{"CA", "California", []string{"DMV.CA.GOV", "", "Golden State"}},
	{"NY", "NEW YORK", []string{"EMPIRE STATE", "EXCELSIOR", ""}},
	{"TX", "TEXAS", []string{"THE LONE STAR STATE", ""}},
	{"FL", "Florida", []string{"SUNSHINE STATE", "MYFLORIDA.COM"}},
	{"IL", "Illinois", []string{"LAND OF LINCOLN", ""}},
	{"PA", "PENNSYLVANIA", []string{"visitPA.com", ""}},
	{"AZ", "ARIZONA", []string{"GRAND CANYON STATE", ""}},
	{"NV", "NEVADA", []string{"THE SILVER STATE", ""}},
	{"OR", "OREGON", []string{"", "PACIFIC WONDERLAND"}},
	{"WA", "Washington", []string{"EVERGREEN STATE", ""}},
	{"OH", "OHIO", []string{"BIRTHPLACE OF AVIATION", ""}},
	{"GA", "GEORGIA", []string{"IN GOD WE TRUST", ""}},
	{"NJ", "NEW JERSEY", []string{"GARDEN STATE", ""}},
	{"MI", "MICHIGAN", []string{"PURE MICHIGAN", ""}},
	{"CO", "COLORADO", []string{"", "COLORFUL COLORADO"}},
	{"UT", "UTAH", []string{"LIFE ELEVATED", ""}},
}

// stateByCode returns the table entry for a two-letter code.
func stateByCode(code string) (usState, bool) {
	for _, s := range states {
		if s.Code == code {
			return s, true
		}
	}
	return usState{}, false
}
