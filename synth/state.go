package synth

// usState is what a plate prints about its state: the name across the top, a
// caption (motto or web address) along the bottom, and how its standard
// passenger serials are laid out.
type usState struct {
	Code     string
	Name     string
	Captions []string
	// Serials are the layouts of the state's standard passenger plates
	// (plateFormat's letters: L, D and a gap); none where the table does not
	// know them, and such a state's plates take any common US layout.
	Serials []string
}

// states is a fixed table of the states whose plates the generator imitates.
var states = [...]usState{
	{"CA", "California", []string{"DMV.CA.GOV", "", "Golden State"}, []string{"DLLLDDD"}},
	{"NY", "NEW YORK", []string{"EMPIRE STATE", "EXCELSIOR", ""}, []string{"LLL DDDD"}},
	{"TX", "TEXAS", []string{"THE LONE STAR STATE", ""}, []string{"LLL DDDD"}},
	{"FL", "Florida", []string{"SUNSHINE STATE", "MYFLORIDA.COM"}, nil},
	{"IL", "Illinois", []string{"LAND OF LINCOLN", ""}, []string{"LL DDDDD"}},
	{"PA", "PENNSYLVANIA", []string{"visitPA.com", ""}, []string{"LLL DDDD"}},
	{"AZ", "ARIZONA", []string{"GRAND CANYON STATE", ""}, []string{"LLLDDDD"}},
	{"NV", "NEVADA", []string{"THE SILVER STATE", ""}, nil},
	{"OR", "OREGON", []string{"", "PACIFIC WONDERLAND"}, []string{"DDD LLL"}},
	{"WA", "Washington", []string{"EVERGREEN STATE", ""}, []string{"LLLDDDD"}},
	{"OH", "OHIO", []string{"BIRTHPLACE OF AVIATION", ""}, []string{"LLL DDDD"}},
	{"GA", "GEORGIA", []string{"IN GOD WE TRUST", ""}, []string{"LLL DDDD"}},
	{"NJ", "NEW JERSEY", []string{"GARDEN STATE", ""}, []string{"LDD LLL"}},
	{"MI", "MICHIGAN", []string{"PURE MICHIGAN", ""}, []string{"LLL DDDD"}},
	{"CO", "COLORADO", []string{"", "COLORFUL COLORADO"}, []string{"LLL LDD"}},
	{"UT", "UTAH", []string{"LIFE ELEVATED", ""}, nil},
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
